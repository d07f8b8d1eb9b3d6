"""SPARQL 1.1 Protocol behaviour, from a table: (method, params, body, headers) -> status + media type.

The same ground as the W3C protocol tests (https://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/)
for a read-only query endpoint, plus the protocol dataset (default-graph-uri / named-graph-uri) and
the one error shape.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from rdflib import Graph

from server import create_app
from server.kg import close_pool

PEOPLE, NOTES = "http://example.org/graph/people", "http://example.org/graph/notes"
ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?s WHERE { ?s a <http://example.org/Person> } ORDER BY ?s"
FORM, SPQ, SPU = "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"
JSON, TURTLE = "application/sparql-results+json", "text/turtle"
UPDATE = "INSERT DATA { <http://example.org/x> <http://example.org/y> 1 }"

# id: (method, URL params, body, headers, expected status, expected media type or None)
CASES = {
    "get-select": ("GET", [("query", SELECT)], None, {}, 200, JSON),
    "get-ask": ("GET", [("query", ASK)], None, {}, 200, JSON),
    "get-construct": ("GET", [("query", "CONSTRUCT WHERE { ?s ?p ?o }")], None, {}, 200, TURTLE),
    "get-describe": ("GET", [("query", "DESCRIBE <http://example.org/alice>")], None, {}, 200, TURTLE),
    "head-select": ("HEAD", [("query", SELECT)], None, {}, 200, JSON),
    "get-no-query-is-service-description": ("GET", [], None, {}, 200, TURTLE),
    "post-form": ("POST", [], urlencode({"query": ASK}), {"Content-Type": FORM}, 200, JSON),
    "post-form-graphs-in-url": ("POST", [("default-graph-uri", PEOPLE)], urlencode({"query": ASK}),
                                {"Content-Type": FORM}, 200, JSON),
    "post-direct": ("POST", [], ASK, {"Content-Type": SPQ}, 200, JSON),
    "post-direct-utf8-charset": ("POST", [], ASK, {"Content-Type": f"{SPQ}; charset=UTF-8"}, 200, JSON),
    "post-direct-graphs-in-url": ("POST", [("named-graph-uri", NOTES)], ASK, {"Content-Type": SPQ}, 200, JSON),
    "options-preflight": ("OPTIONS", [], None, {"Origin": "http://a.example",
                                                "Access-Control-Request-Method": "POST"}, 200, None),
    "post-form-without-query": ("POST", [], urlencode({"format": "json"}), {"Content-Type": FORM}, 400, "application/json"),
    "post-without-content-type": ("POST", [], ASK.encode(), {}, 415, "application/json"),
    "post-form-body-without-type": ("POST", [], urlencode({"query": ASK}).encode(), {}, 415, "application/json"),
    "post-text-plain": ("POST", [], ASK, {"Content-Type": "text/plain"}, 415, "application/json"),
    "post-utf16-charset": ("POST", [], ASK.encode("utf-16"), {"Content-Type": f"{SPQ}; charset=UTF-16"},
                           415, "application/json"),
    "post-direct-invalid-utf8": ("POST", [], b"ASK { ?s ?p '\xff' }", {"Content-Type": SPQ}, 400, "application/json"),
    "post-form-invalid-utf8": ("POST", [], b"query=ASK%20%7B%7D%FF", {"Content-Type": FORM}, 400, "application/json"),
    "get-invalid-utf8": ("GET", "query=ASK%20%7B%7D%FF", None, {}, 400, "application/json"),
    "two-queries": ("GET", [("query", ASK), ("query", SELECT)], None, {}, 400, "application/json"),
    "query-in-url-and-body": ("POST", [("query", ASK)], ASK, {"Content-Type": SPQ}, 400, "application/json"),
    "query-and-update": ("GET", [("query", ASK), ("update", UPDATE)], None, {}, 400, "application/json"),
    "update-get": ("GET", [("update", UPDATE)], None, {}, 400, "application/json"),
    "update-form": ("POST", [], urlencode({"update": UPDATE}), {"Content-Type": FORM}, 400, "application/json"),
    "update-direct": ("POST", [], UPDATE, {"Content-Type": SPU}, 400, "application/json"),
    "update-utf16": ("POST", [], UPDATE.encode("utf-16"), {"Content-Type": f"{SPU}; charset=UTF-16"},
                     400, "application/json"),
    "using-graph-uri": ("POST", [("using-named-graph-uri", PEOPLE)], UPDATE, {"Content-Type": SPU},
                        400, "application/json"),
    "update-as-query": ("GET", [("query", UPDATE)], None, {}, 400, "application/json"),
    "load-as-query": ("GET", [("query", "LOAD <http://example.org/data.ttl>")], None, {}, 400, "application/json"),
    "clear-as-query": ("GET", [("query", "CLEAR ALL")], None, {}, 400, "application/json"),
    "malformed": ("GET", [("query", "SELECT * WHERE { ?s ?p")], None, {}, 400, "application/json"),
    "malformed-form": ("POST", [], urlencode({"query": "ASK {"}), {"Content-Type": FORM}, 400, "application/json"),
    "malformed-direct": ("POST", [], "ASK {", {"Content-Type": SPQ}, 400, "application/json"),
    "unknown-prefix": ("GET", [("query", "SELECT * WHERE { ?s nope:p ?o }")], None, {}, 400, "application/json"),
    "put": ("PUT", [("query", ASK)], None, {}, 405, "application/json"),
    "delete": ("DELETE", [("query", ASK)], None, {}, 405, "application/json"),
    "patch": ("PATCH", [("query", ASK)], ASK, {"Content-Type": SPQ}, 405, "application/json"),
    "unknown-format": ("GET", [("query", ASK), ("format", "png")], None, {}, 406, "application/json"),
    "unacceptable": ("GET", [("query", ASK)], None, {"Accept": "image/png"}, 406, "application/json"),
}


def send(client, method, params, body=None, headers=None):
    path = "/sparql" + (f"?{params}" if isinstance(params, str) else "")
    return client.open(path, method=method, query_string=None if isinstance(params, str) else params,
                       data=body, headers=headers or {})


@pytest.mark.parametrize("method, params, body, headers, status, media_type",
                         list(CASES.values()), ids=list(CASES))
def test_protocol_case(client, method, params, body, headers, status, media_type):
    response = send(client, method, params, body, headers)
    assert response.status_code == status, response.get_data(as_text=True)
    if media_type:
        assert response.mimetype == media_type
    if status >= 400:
        assert response.json == {"error": response.json["error"], "status": status}
        assert "Traceback" not in response.json["error"]


def test_malformed_query_message_names_the_position(client):
    error = send(client, "GET", [("query", "SELECT * WHERE { ?s ?p")]).json["error"]
    assert "malformed query" in error and ("col:" in error or "error at 1:23" in error)  # rdflib, Oxigraph


def test_update_message_says_read_only(client):
    assert "read-only" in send(client, "GET", [("query", UPDATE)]).json["error"]


def test_405_names_the_allowed_methods(client):
    response = send(client, "PUT", [("query", ASK)])
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}
    assert "PUT is not allowed" in response.json["error"] and "POST" in response.json["error"]


def test_browser_gets_plain_text_errors(client):
    response = send(client, "GET", [("query", "ASK { <x> <y> '<script>alert(1)</script>'")],
                    headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 400 and response.mimetype == "text/plain"


def ask(client, query, **params):
    pairs = [("query", query)] + [(k.replace("_", "-"), v) for k, vs in params.items() for v in vs]
    response = send(client, "GET", pairs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["boolean"]


ALICE, NOTE = "<http://example.org/alice>", "<http://example.org/note1>"


@pytest.mark.parametrize("query, params, expected", [
    (f"ASK {{ {ALICE} ?p ?o }}", {}, True),
    (f"ASK {{ {NOTE} ?p ?o }}", {}, True),  # the default graph is the union
    (f"ASK {{ {NOTE} ?p ?o }}", {"default_graph_uri": [PEOPLE]}, False),
    (f"ASK {{ {ALICE} ?p ?o }}", {"default_graph_uri": [PEOPLE]}, True),
    (f"ASK {{ {ALICE} ?p ?o . {NOTE} ?q ?r }}", {"default_graph_uri": [PEOPLE, NOTES]}, True),
    (f"ASK {{ {ALICE} ?p ?o }}", {"named_graph_uri": [PEOPLE]}, False),  # default graph now empty
    (f"ASK {{ GRAPH <{PEOPLE}> {{ {ALICE} ?p ?o }} }}", {"named_graph_uri": [PEOPLE]}, True),
    (f"ASK {{ GRAPH ?g {{ {NOTE} ?p ?o }} }}", {"named_graph_uri": [PEOPLE]}, False),
    (f"ASK {{ {ALICE} ?p ?o }}", {"default_graph_uri": ["http://example.org/absent"]}, False),
    (f"ASK FROM <{PEOPLE}> {{ {NOTE} ?p ?o }}", {}, False),
    (f"ASK FROM <{NOTES}> {{ {NOTE} ?p ?o }}", {}, True),
    (f"ASK FROM NAMED <{NOTES}> {{ GRAPH ?g {{ {NOTE} ?p ?o }} }}", {}, True),
    ("ASK FROM <http://example.org/absent> { ?s ?p ?o }", {}, False),
    # the protocol dataset replaces the query's FROM (Protocol 2.1.4)
    (f"ASK FROM <{PEOPLE}> {{ {NOTE} ?p ?o }}", {"default_graph_uri": [NOTES]}, True),
], ids=lambda v: None)
def test_dataset(client, query, params, expected):
    assert ask(client, query, **params) is expected


def test_graph_variable_lists_only_named_graphs(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    rows = send(client, "GET", [("query", query)]).json["results"]["bindings"]
    assert [r["g"]["value"] for r in rows] == [NOTES, PEOPLE]


def test_project_prefixes_need_no_declaration(client):
    response = send(client, "GET", [("query", "SELECT ?l WHERE { ?s rdfs:label ?l }")])
    assert response.status_code == 200 and len(response.json["results"]["bindings"]) == 3


def test_relative_iris_resolve_against_the_endpoint(client):
    response = send(client, "GET", [("query", "CONSTRUCT { <s> <p> 1 } WHERE {}"), ("format", "nt")])
    graph = Graph().parse(data=response.data, format="nt")
    assert {str(s) for s in graph.subjects()} == {"http://localhost/s"}


def test_post_form_and_get_answer_alike(client):
    by_get = send(client, "GET", [("query", SELECT)])
    by_form = send(client, "POST", [], urlencode({"query": SELECT}), {"Content-Type": FORM})
    by_direct = send(client, "POST", [], SELECT, {"Content-Type": SPQ})
    assert json.loads(by_get.data) == json.loads(by_form.data) == json.loads(by_direct.data)


class Broken:
    """A store whose query has a bug (TypeError): must be a logged 500, not a 400."""

    etag = "broken"

    def query(self, *args, **kwargs):
        raise TypeError("a bug, not bad input")


@pytest.mark.parametrize("workers", [0, 1], ids=["inline", "worker-process"])
def test_bug_is_500_without_trace(dataset, workers, caplog):
    app = create_app({"TESTING": True, "STORE": Broken(), "QUERY_WORKERS": workers})
    try:
        response = app.test_client().get("/sparql", query_string={"query": ASK})
    finally:
        close_pool(app)
    assert response.status_code == 500
    assert response.json["status"] == 500 and "Traceback" not in response.json["error"]
    assert "a bug" not in response.json["error"]
    if workers == 0:  # the worker process logs to its own stderr, out of caplog's reach
        assert "Traceback" in caplog.text or "a bug, not bad input" in caplog.text


def test_view_bug_is_logged_500(dataset, caplog):
    app = create_app({"TESTING": True, "DATASET": dataset, "QUERY_WORKERS": 0})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500 and "secret" not in response.get_data(as_text=True)
    assert "secret detail" in caplog.text
