"""Vocabulary views: the graph restated in other graphs' terms, for people who know those terms.

Two CONSTRUCT queries, which are also canned queries (``queries/wikidata-view.rq`` and
``queries/schema-view.rq``), so the endpoint and the dumps say the same thing:

- ``wikidata-view.ttl``: the Wikidata RDF model (https://www.mediawiki.org/wiki/Wikibase/Indexing/RDF_Dump_Format):
  ``p:P127`` statement nodes (minted under our base, no blank nodes) with ``ps:P127``, ``pq:P1107``
  (a fraction 0-1), ``pq:P580`` / ``pq:P582`` and their ``pqv:`` time values with precision, ranks,
  ``wdt:`` truthy claims (P127 current owners, P159, P571, P1056, P17, P131, P31), ``wd:`` IRIs
  where we have a ``skos:exactMatch``;
- ``schema-view.jsonld``: schema.org (https://schema.org/) as JSON-LD 1.1 with a context a web
  developer reads without a lookup: ``"name"``, ``"foundingDate"``, ``"location"``, ``"id"``, ``"type"``.

Both are written deterministically (sorted triples, sorted JSON-LD node lists).
"""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .iris import PREFIXES, QUERIES_DIR

WIKIDATA_PREFIXES = {
    "p": "http://www.wikidata.org/prop/", "ps": "http://www.wikidata.org/prop/statement/",
    "pq": "http://www.wikidata.org/prop/qualifier/", "pqv": "http://www.wikidata.org/prop/qualifier/value/",
    "wikibase": "http://wikiba.se/ontology#",
}
_LINKS = ("sameAs", "location", "containedInPlace", "parentOrganization", "subOrganization", "manufacturer")
SCHEMA_CONTEXT = {
    "@vocab": "https://schema.org/", "id": "@id", "type": "@type",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    **{term: {"@id": f"https://schema.org/{term}", "@language": "en"}
       for term in ("name", "alternateName", "description")},
    "foundingDate": {"@id": "https://schema.org/foundingDate", "@type": "xsd:gYear"},
    **{term: {"@id": f"https://schema.org/{term}", "@type": "@id"} for term in _LINKS},
}
VIEWS = {"wikidata-view.ttl": "wikidata-view", "schema-view.jsonld": "schema-view"}


def view(dataset: Dataset, name: str) -> Graph:
    """The CONSTRUCT result of ``queries/<name>.rq`` over the dataset (default graph: the union)."""
    from .queries import load_queries
    query = load_queries(QUERIES_DIR)[name]
    return dataset.query(query.sparql).graph


def wikidata_turtle(graph: Graph) -> str:
    """Turtle of the triples in N-Triples order, with the project's and Wikidata's prefixes."""
    lines = sorted(set(graph.serialize(format="nt").splitlines()) - {""})
    triples = ox.parse("\n".join(lines) + "\n", format=ox.RdfFormat.N_TRIPLES)
    prefixes = {**{p: str(PREFIXES[p]) for p in ("kg", "rdf", "rdfs", "skos", "xsd", "prov", "wd", "wdt")},
                **WIKIDATA_PREFIXES}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def schema_jsonld(graph: Graph) -> str:
    """JSON-LD with :data:`SCHEMA_CONTEXT`: short terms, IRIs for links, English labels as strings."""
    plain = Graph()  # no prefix bindings: the context alone decides how terms are written
    for triple in graph:
        plain.add(triple)
    text = plain.serialize(format="json-ld", context=SCHEMA_CONTEXT, sort_keys=True)
    document = json.loads(text)
    document["@graph"] = _sorted_json(document.get("@graph", []))
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _sorted_json(node):
    """JSON-LD node lists sorted by their text: the values of a property are a set."""
    if isinstance(node, dict):
        return {key: _sorted_json(value) for key, value in node.items()}
    if isinstance(node, list):
        items = [_sorted_json(item) for item in node]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return node


def write_views(dataset: Dataset, folder: Path) -> list[Path]:
    """Write ``wikidata-view.ttl`` and ``schema-view.jsonld`` into ``folder``; return their paths."""
    folder = Path(folder)
    (folder / "wikidata-view.ttl").write_text(wikidata_turtle(view(dataset, "wikidata-view")), encoding="utf-8")
    (folder / "schema-view.jsonld").write_text(schema_jsonld(view(dataset, "schema-view")), encoding="utf-8")
    return [folder / name for name in VIEWS]
