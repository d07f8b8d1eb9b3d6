"""What the HTML pages know about one IRI, asked through the store surface and the worker pool.

The pages never touch the rdflib dataset: each question is a SPARQL query run like any ``/sparql``
request (time limit, row limit, no network), with the IRI bound as ``?this`` through initial
bindings, never pasted into the text. ``GRAPH ?g`` tells asserted from inferred values (the named
graphs of :mod:`graph.iris`). The RDF of a page is a CONSTRUCT of the IRI's outgoing triples, in
the Linked Data sense of a description (https://www.w3.org/TR/ld-bp/#dereferenceable-uris).
"""
from __future__ import annotations

from collections import defaultdict

from flask import current_app
from rdflib import URIRef

from graph.formats import BY_NAME, Format
from graph.iris import ASSERTED, INFERRED, KG, ONTOLOGY
from server import cache
from server.errors import QueryError
from server.execute import Answer, Job, encode_bindings
from server.kg import get_pool
from server.terms import Term, parse_results

PROLOGUE = f"""PREFIX kg: <{KG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
OUTGOING = PROLOGUE + """SELECT ?g ?p ?o (SAMPLE(?pl) AS ?plabel) (SAMPLE(?ol) AS ?olabel) WHERE {
  GRAPH ?g { ?this ?p ?o } OPTIONAL { ?p rdfs:label ?pl } OPTIONAL { ?o rdfs:label ?ol }
} GROUP BY ?g ?p ?o ORDER BY ?p ?o LIMIT 2000"""
INCOMING = PROLOGUE + """SELECT ?s ?p (SAMPLE(?sl) AS ?slabel) (SAMPLE(?pl) AS ?plabel) WHERE {
  GRAPH ?g { ?s ?p ?this } OPTIONAL { ?s rdfs:label ?sl } OPTIONAL { ?p rdfs:label ?pl }
} GROUP BY ?s ?p ORDER BY ?p ?s LIMIT 500"""
PROVENANCE = PROLOGUE + """SELECT ?sentence ?text ?section ?document ?title ?license WHERE {
  ?this kg:sourceSentence ?sentence . ?sentence kg:text ?text .
  OPTIONAL { ?sentence kg:section ?section }
  OPTIONAL { ?sentence kg:sentenceIndex ?index }
  OPTIONAL { ?sentence kg:inDocument ?document
             OPTIONAL { ?document dcterms:title ?title } OPTIONAL { ?document dcterms:license ?license } }
} ORDER BY ?index ?sentence"""  # in the order of the article
AS_PREDICATE = "ASK { ?s ?this ?o }"
DESCRIPTION = "CONSTRUCT { ?this ?p ?o } WHERE { ?this ?p ?o }"

GRAPH_NAMES = {str(ASSERTED): "asserted", str(INFERRED): "inferred", str(ONTOLOGY): "ontology"}
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
          "https://schema.org/name", "http://purl.org/dc/terms/title")
COMMENTS = ("http://www.w3.org/2004/02/skos/core#definition", "http://www.w3.org/2000/01/rdf-schema#comment",
            "http://purl.org/dc/terms/description", "https://schema.org/description")
MATCHES = {"http://www.w3.org/2004/02/skos/core#exactMatch": "exact match",
           "http://www.w3.org/2004/02/skos/core#closeMatch": "close match"}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def run(text: str, formats: dict, bindings=None) -> Answer:
    """One query through this process's worker pool; :class:`QueryError` unless it succeeds."""
    job = Job(text, (), (), formats, max_rows=int(current_app.config["MAX_ROWS"]),
              bindings=encode_bindings(bindings))
    answer = cache.run(job, get_pool())  # the endpoint's answer cache: the dataset never changes
    if answer.status != 200:
        raise QueryError(answer.status, answer.body.decode("utf-8"))
    return answer


def select(text: str, bindings=None) -> list[dict[str, Term]]:
    return parse_results(run(text, {"results": BY_NAME["json"], "graph": None}, bindings).body)[1]


def rdf(iri: str, fmt: Format) -> bytes:
    return run(DESCRIPTION, {"results": None, "graph": fmt}, {"this": URIRef(iri)}).body


def describe(iri: str) -> dict | None:
    """Everything the resource page shows about ``iri``; None when the graph does not use it."""
    this = {"this": URIRef(iri)}
    outgoing, incoming = select(OUTGOING, this), select(INCOMING, this)
    if not outgoing and not incoming and select(AS_PREDICATE, this)[0]["boolean"].value != "true":
        return None
    properties = _properties(outgoing)
    values = {p["term"].value: [v["term"] for v in p["values"]] for p in properties}
    return {
        "iri": iri, "label": _best(values, LABELS), "comment": _best(values, COMMENTS),
        "types": values.get(RDF_TYPE, []), "properties": properties,
        "incoming": [_link(row, "s", "slabel", "p", "plabel") for row in incoming],
        "provenance": select(PROVENANCE, this),
        "matches": [(MATCHES[p], t) for p in MATCHES for t in values.get(p, []) if t.is_iri],
    }


def _properties(rows) -> list[dict]:
    """Rows of (graph, property, value) grouped by property; each value says its graph."""
    grouped: dict[str, dict] = defaultdict(lambda: {"values": []})
    for row in rows:
        prop = grouped[row["p"].value]
        prop.update(term=row["p"], label=_text(row.get("plabel")))
        graph = GRAPH_NAMES.get(row["g"].value, row["g"].value)
        prop["values"].append({"term": row["o"], "label": _text(row.get("olabel")), "graph": graph})
    return list(grouped.values())


def _link(row, term, label, prop, prop_label) -> dict:
    return {"term": row[term], "label": _text(row.get(label)),
            "property": row[prop], "property_label": _text(row.get(prop_label))}


def _best(values: dict, keys) -> Term | None:
    """The first English (or untagged) value of the first key that has one."""
    for key in keys:
        found = [t for t in values.get(key, []) if t.kind == "literal"]
        for term in sorted(found, key=lambda t: t.lang not in ("en", "")):
            return term
    return None


def _text(term: Term | None) -> str | None:
    return term.value if term is not None else None

