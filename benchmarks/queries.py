"""The benchmark's queries: every canned query with its default parameters, and synthetic ones.

Canned parameters are written into the text as a ``VALUES`` block opening the WHERE group (the
same form the Oxigraph store uses for initial bindings, checked equal to rdflib's initBindings by
tests/server/test_store_equivalence.py), so every server gets the same text.
The synthetic queries are the typical shapes over the ``benchmarks.synth`` data.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from graph.iris import DEFAULT_BASE

SYN = DEFAULT_BASE + "id/synthetic/"
PREFIXES = (f"PREFIX kg: <{DEFAULT_BASE}ontology#>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")


class Query(NamedTuple):
    name: str
    text: str
    kind: str  # "results" or "graph": decides the Accept header


SYNTHETIC = {
    "lookup": f"SELECT ?p ?o WHERE {{ <{SYN}jv-7> ?p ?o }}",
    "filter-order": PREFIXES + """SELECT ?plant ?value WHERE {
  ?plant a kg:Plant ; kg:capacity ?c . ?c kg:value ?value ; kg:capacityRole kg:Target .
  FILTER(?value >= 39) } ORDER BY DESC(?value) ?plant LIMIT 50""",
    "holders-at-date": PREFIXES + """SELECT ?stake ?holder ?pct WHERE {
  ?stake a kg:Stake ; kg:holder ?holder ; kg:percentage ?pct ; kg:validDuring ?i .
  ?i kg:hasBeginning/kg:earliest ?start ; kg:hasEnd/kg:earliest ?stop .
  FILTER(?start <= "2001-06-01"^^<http://www.w3.org/2001/XMLSchema#date>
         && "2001-06-01"^^<http://www.w3.org/2001/XMLSchema#date> < ?stop) } ORDER BY ?stake LIMIT 100""",
    "group-sum": PREFIXES + """SELECT ?country (SUM(?value) AS ?total) (COUNT(?plant) AS ?plants) WHERE {
  ?plant a kg:Plant ; kg:country ?country ; kg:capacity ?c . ?c kg:value ?value ; kg:capacityRole kg:Target .
} GROUP BY ?country ORDER BY DESC(?total) LIMIT 20""",
    "property-path": PREFIXES + f"""SELECT ?place WHERE {{ ?place kg:locatedIn+ <{SYN}country-0> }}""",
    "optional-timeline": PREFIXES + """SELECT ?event ?label ?year ?status ?capital WHERE {
  ?event a kg:Establishment ; rdfs:label ?label .
  OPTIONAL { ?event kg:date/kg:inXSDgYear ?year }
  OPTIONAL { ?event kg:eventStatus ?status }
  OPTIONAL { ?event kg:capital/kg:value ?capital }
  OPTIONAL { ?event kg:participant/rdfs:label ?who }
} ORDER BY ?year ?event LIMIT 100""",
    "construct-one": f"CONSTRUCT {{ <{SYN}plant-7> ?p ?o }} WHERE {{ <{SYN}plant-7> ?p ?o }}",
}


def canned() -> list[Query]:
    from graph.queries import load_queries
    from server.oxigraph_store import _FORM, bind_inline
    out = []
    for name, query in load_queries().items():
        text = query.sparql
        if query.parameters:
            text = bind_inline(text, query.bindings(), _FORM.search(re.sub(r"#[^\n]*", "", text)))
        out.append(Query(name, text, _kind(text)))
    return out


def synthetic() -> list[Query]:
    return [Query(name, text, _kind(text)) for name, text in SYNTHETIC.items()]


def _kind(text: str) -> str:
    code = re.sub(r"#[^\n]*", "", text)
    form = re.search(r"(?i)\b(select|construct|describe|ask)\b", code).group(1).lower()
    return "graph" if form in ("construct", "describe") else "results"


ACCEPT = {"results": "application/sparql-results+json", "graph": "application/n-triples"}
