"""What the home and ontology pages list: instances per class, the dumps, every ontology term.

Like :mod:`server.resource`, every question goes through the worker pool as a SPARQL query. The
ontology page follows the OWL 2 / RDFS reading of the ``graph/ontology`` named graph
(https://www.w3.org/TR/owl2-primer/): classes and properties of the ``kg:`` namespace, each with
its definition, its place in the hierarchy and its alignments to other vocabularies and Wikidata.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from graph.formats import FORMATS
from graph.iris import ONTOLOGY
from server.resource import PROLOGUE, select

CLASS_COUNTS = PROLOGUE + """SELECT ?class (COUNT(DISTINCT ?instance) AS ?instances) (SAMPLE(?l) AS ?label)
WHERE { ?instance a ?class . FILTER(STRSTARTS(STR(?class), STR(kg:))) OPTIONAL { ?class rdfs:label ?l } }
GROUP BY ?class ORDER BY DESC(?instances) ?class"""
TERMS = PROLOGUE + f"""SELECT ?term ?type (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?definition) WHERE {{
  GRAPH <{ONTOLOGY}> {{ ?term a ?type . FILTER(STRSTARTS(STR(?term), STR(kg:)))
    OPTIONAL {{ ?term rdfs:label ?l }} OPTIONAL {{ ?term skos:definition|rdfs:comment ?d }} }}
}} GROUP BY ?term ?type ORDER BY ?term ?type"""
RELATIONS = PROLOGUE + f"""PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?term ?relation ?target WHERE {{
  GRAPH <{ONTOLOGY}> {{ ?term ?relation ?target }}
  VALUES ?relation {{ rdfs:subClassOf rdfs:subPropertyOf owl:equivalentClass owl:equivalentProperty
                      owl:inverseOf rdfs:domain rdfs:range skos:exactMatch skos:closeMatch }}
  FILTER(STRSTARTS(STR(?term), STR(kg:)) && isIRI(?target))
}} ORDER BY ?term ?relation ?target"""

OWL = "http://www.w3.org/2002/07/owl#"
SECTIONS = (("Classes", {OWL + "Class"}),
            ("Properties", {OWL + "ObjectProperty", OWL + "DatatypeProperty"}),
            ("Individuals and annotation properties", None))
MEDIA_TYPES = {f".{f.extension}": f.media_type for f in FORMATS}


def class_counts():
    return select(CLASS_COUNTS)


def ontology_terms() -> list[tuple[str, list[dict]]]:
    """(section title, terms) for classes, properties and the rest, each term with its relations."""
    terms: dict[str, dict] = {}
    for row in select(TERMS):
        term = terms.setdefault(row["term"].value, {"term": row["term"], "types": [], "relations": defaultdict(list),
                                                    "label": row.get("label"), "definition": row.get("definition")})
        term["types"].append(row["type"])
    for row in select(RELATIONS):
        if row["term"].value in terms:
            terms[row["term"].value]["relations"][row["relation"]].append(row["target"])
    sections, placed = [], set()
    for title, kinds in SECTIONS:
        members = [t for iri, t in terms.items() if iri not in placed
                   and (kinds is None or any(k.value in kinds for k in t["types"]))]
        placed.update(t["term"].value for t in members)
        sections.append((title, members))
    return sections


def dump_files(data_dir) -> list[str]:
    """The files of the last build (``aesc-kg build --out DIR``) that the server can hand out."""
    if not data_dir or not Path(data_dir).is_dir():
        return []
    return sorted(p.name for p in Path(data_dir).iterdir() if p.is_file() and not p.name.startswith("."))


def media_type(name: str) -> str:
    suffix = Path(name).suffix
    return MEDIA_TYPES.get(suffix, "application/octet-stream" if suffix != ".txt" else "text/plain")
