"""Every format of the table, served and parsed back: results (JSON, XML, CSV, TSV) and RDF graphs.

Expected answers come from running the same query on the same dataset with rdflib directly, so
the test checks the serialisation, not the query engine. Blank-node labels are compared by shape.
"""
from __future__ import annotations

import csv
import doctest
import io
import xml.etree.ElementTree as ET

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

import server.results
from graph.formats import formats_of
from server.results import tsv_term

SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o }"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def fetch(client, query, fmt):
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == fmt.media_type
    if fmt.media_type.startswith("text/"):
        assert response.mimetype_params == {"charset": "utf-8"}
    return response.data


def shape(term):
    """A term with its blank-node label hidden (labels are local to each document)."""
    return "_:b" if isinstance(term, BNode) else term


def rows_of(result) -> list:
    return sorted((tuple(shape(t) for t in row) for row in result), key=repr)


@pytest.mark.parametrize("fmt", [f for f in formats_of("results") if f.name in ("json", "xml", "tsv")],
                         ids=lambda f: f.name)
def test_select_round_trips(client, dataset, fmt):
    body = fetch(client, SELECT, fmt)
    parsed = Result.parse(io.BytesIO(body), format=fmt.rdflib)
    assert [str(v) for v in parsed.vars] == ["s", "p", "o"]
    assert rows_of(parsed) == rows_of(dataset.query(SELECT))


def test_select_csv(client, dataset):
    fmt = next(f for f in formats_of("results") if f.name == "csv")
    body = fetch(client, SELECT, fmt)
    assert b"\r\n" in body  # CSV lines end with CRLF (RFC 4180)
    table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert table[0] == ["s", "p", "o"]
    expected = sorted(tuple("_:b" if isinstance(t, BNode) else str(t) for t in row)
                      for row in dataset.query(SELECT))
    got = sorted(tuple("_:b" if v.startswith("_:") else v for v in row) for row in table[1:])
    assert got == expected


def test_select_xml_by_elementtree(client):
    fmt = next(f for f in formats_of("results") if f.name == "xml")
    root = ET.fromstring(fetch(client, SELECT, fmt))
    assert root.tag == f"{SRX}sparql"
    assert [v.get("name") for v in root.iter(f"{SRX}variable")] == ["s", "p", "o"]
    assert len(list(root.iter(f"{SRX}result"))) == 16


@pytest.mark.parametrize("fmt", formats_of("results"), ids=lambda f: f.name)
@pytest.mark.parametrize("answer", [True, False])
def test_ask(client, fmt, answer):
    query = "ASK { ?s ?p ?o }" if answer else "ASK { <http://example.org/none> ?p ?o }"
    body = fetch(client, query, fmt)
    if fmt.name in ("json", "xml"):
        assert Result.parse(io.BytesIO(body), format=fmt.rdflib).askAnswer is answer
    else:  # CSV / TSV define no boolean: one column, one row (Jena's convention)
        header, value = body.decode().split()
        assert header.lstrip("?") == "_askResult" and value == str(answer).lower()


@pytest.mark.parametrize("fmt", formats_of("graph") + formats_of("dataset"), ids=lambda f: f.name)
@pytest.mark.parametrize("query", [CONSTRUCT, "DESCRIBE <http://example.org/bob>"], ids=["construct", "describe"])
def test_graph_round_trips(client, dataset, fmt, query):
    body = fetch(client, query, fmt)
    if fmt.kind == "dataset":
        parsed = Dataset()
        parsed.parse(data=body, format=fmt.rdflib)
        parsed = Graph() + parsed.default_graph
    else:
        parsed = Graph().parse(data=body, format=fmt.rdflib)
    expected = dataset.query(query).graph
    assert len(parsed) > 0 and isomorphic(parsed, expected)


@pytest.mark.parametrize("term, text", [
    (URIRef("http://example.org/a"), "<http://example.org/a>"),
    (Literal("plain"), '"plain"'),
    (Literal("tab\tnew\nline \"q\" back\\slash\r"), '"tab\\tnew\\nline \\"q\\" back\\\\slash\\r"'),
    (Literal("Bob", lang="en"), '"Bob"@en'),
    (Literal(5), '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    (Literal("x", datatype=URIRef("http://www.w3.org/2001/XMLSchema#string")), '"x"'),
    (BNode("b0"), "_:b0"),
    (None, ""),
    (URIRef("http://example.org/a b"), "<http://example.org/a\\u0020b>"),
], ids=repr)
def test_tsv_term(term, text):
    assert tsv_term(term) == text
    assert "\t" not in text and "\n" not in text


def test_results_doctests():
    assert doctest.testmod(server.results).failed == 0
