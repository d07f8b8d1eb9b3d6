"""Content negotiation: a table of (Accept header or format parameter, query kind) -> media type.

q-values and wildcards go through Werkzeug's ``best_match``; the table of formats is graph/formats.py.
"""
from __future__ import annotations

import pytest

SELECT = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"

# (Accept, expected for SELECT, expected for CONSTRUCT); None: 406
ACCEPT = [
    (None, "application/sparql-results+json", "text/turtle"),
    ("*/*", "application/sparql-results+json", "text/turtle"),
    ("application/sparql-results+xml", "application/sparql-results+xml", None),
    ("application/json", "application/sparql-results+json", "application/ld+json"),
    ("application/xml", "application/sparql-results+xml", "application/rdf+xml"),
    ("text/csv", "text/csv", None),
    ("text/tab-separated-values", "text/tab-separated-values", None),
    ("text/plain", None, "application/n-triples"),
    ("application/n-triples", None, "application/n-triples"),
    ("application/ld+json", None, "application/ld+json"),
    ("application/trig", None, "application/trig"),
    ("application/n-quads", None, "application/n-quads"),
    ("text/*", "text/csv", "text/turtle"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml", None),
    ("text/csv, application/sparql-results+json;q=0.1", "text/csv", None),
    ("application/rdf+xml;q=0.3, text/turtle;q=0.8, */*;q=0.1", "application/sparql-results+json", "text/turtle"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
     "application/sparql-results+xml", "application/rdf+xml"),
    ("application/sparql-results+json,application/json,text/javascript,application/javascript",
     "application/sparql-results+json", "application/ld+json"),  # SPARQLWrapper's JSON
    ("image/png", None, None),
]


@pytest.mark.parametrize("accept, for_select, for_construct", ACCEPT, ids=lambda v: str(v))
def test_accept(client, accept, for_select, for_construct):
    headers = {"Accept": accept} if accept else {}
    for query, expected in ((SELECT, for_select), (CONSTRUCT, for_construct)):
        response = client.get("/sparql", query_string={"query": query}, headers=headers)
        if expected is None:
            assert response.status_code == 406
            assert "supported" in response.json["error"]
        else:
            assert response.status_code == 200, response.get_data(as_text=True)
            assert response.mimetype == expected
            assert "Accept" in response.headers["Vary"]


# (format parameter values, expected for SELECT, expected for CONSTRUCT)
FORMAT_PARAM = [
    (["json"], "application/sparql-results+json", "text/turtle"),
    (["xml"], "application/sparql-results+xml", "application/rdf+xml"),
    (["csv"], "text/csv", "text/turtle"),
    (["tsv", "text/tab-separated-values"], "text/tab-separated-values", "text/turtle"),  # SPARQLWrapper
    (["text/csv"], "text/csv", "text/turtle"),
    (["turtle"], "application/sparql-results+json", "text/turtle"),
    (["nt"], "application/sparql-results+json", "application/n-triples"),
    (["jsonld"], "application/sparql-results+json", "application/ld+json"),
    (["json-ld", "application/ld+json"], "application/sparql-results+json", "application/ld+json"),
    (["rdfxml"], "application/sparql-results+json", "application/rdf+xml"),
    (["trig"], "application/sparql-results+json", "application/trig"),
    (["nquads"], "application/sparql-results+json", "application/n-quads"),
]


@pytest.mark.parametrize("values, for_select, for_construct", FORMAT_PARAM, ids=lambda v: str(v))
def test_format_parameter_wins_over_accept(client, values, for_select, for_construct):
    for query, expected in ((SELECT, for_select), (CONSTRUCT, for_construct)):
        params = [("query", query)] + [("format", v) for v in values]
        response = client.get("/sparql", query_string=params, headers={"Accept": "*/*"})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == expected


def test_unknown_format_lists_supported(client):
    response = client.get("/sparql", query_string={"query": SELECT, "format": "yaml"})
    assert response.status_code == 406
    assert "supported" in response.json["error"] and "tsv" in response.json["error"]


@pytest.mark.parametrize("accept, expected", [
    (None, "text/turtle"), ("*/*", "text/turtle"), ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"), ("application/n-triples", "application/n-triples"),
    ("text/html,*/*;q=0.8", "text/turtle"),
])
def test_service_description_conneg(client, accept, expected):
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == expected
