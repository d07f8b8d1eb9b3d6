"""No outbound request because of a query, and nothing that writes.

Every query names a local TCP listener (the ``listener`` fixture); the listener must see zero
connections: SERVICE is refused, FROM / FROM NAMED and the protocol dataset only select local
graphs, LOAD is an update and refused. The audit-hook guard of the query workers is tested on its
own, in a subprocess and in a forked worker, since an audit hook can never be removed.
"""
from __future__ import annotations

import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest

from server import create_app
from server.kg import close_pool
from server.pool import QueryPool


def queries_naming(url: str) -> dict[str, tuple[str, list, int]]:
    """id -> (query, extra params, expected status)."""
    return {
        "service": (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", [], 403),
        "service-silent": (f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}", [], 403),
        "service-in-optional": (f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?q ?r }} }} }}", [], 403),
        "service-in-exists": (f"ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?q ?r }} }} }}", [], 403),
        "service-in-subquery": (f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}", [], 403),
        # rdflib's translator recurses forever on nested SERVICE (RDFLib/rdflib#2136): a 400
        "service-nested": (f"SELECT * WHERE {{ SERVICE <{url}> {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}", [], 400),
        "service-variable": ("SELECT * WHERE { BIND(<%s> AS ?e) SERVICE ?e { ?s ?p ?o } }" % url, [], 403),
        "from": (f"ASK FROM <{url}> {{ ?s ?p ?o }}", [], 200),
        "from-named": (f"ASK FROM NAMED <{url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}", [], 200),
        "from-file": ("ASK FROM <file:///etc/passwd> { ?s ?p ?o }", [], 200),
        "default-graph-uri": ("ASK { ?s ?p ?o }", [("default-graph-uri", url)], 200),
        "named-graph-uri": ("ASK { GRAPH ?g { ?s ?p ?o } }", [("named-graph-uri", url)], 200),
        "load": (f"LOAD <{url}>", [], 400),
        "load-into": (f"LOAD SILENT <{url}> INTO GRAPH <urn:x>", [], 400),
    }


CASE_IDS = list(queries_naming("http://x/"))


@pytest.mark.parametrize("case", CASE_IDS)
def test_query_makes_no_connection(client, listener, case):
    query, params, status = queries_naming(listener.url)[case]
    response = client.get("/sparql", query_string=[("query", query), *params])
    assert response.status_code == status, response.get_data(as_text=True)
    if status == 200:
        assert response.json["boolean"] is False  # the remote "graph" is empty, never fetched
    time.sleep(0.05)
    assert listener.connections == 0


@pytest.mark.parametrize("body, content_type", [
    ("update=LOAD%20%3C{url}%3E", "application/x-www-form-urlencoded"),
    ("LOAD <{url}>", "application/sparql-update"),
])
def test_update_load_makes_no_connection(client, listener, body, content_type):
    response = client.post("/sparql", data=body.format(url=listener.url), content_type=content_type)
    assert response.status_code == 400 and "read-only" in response.json["error"]
    assert listener.connections == 0


def test_refusal_names_the_service_and_the_switch(client, listener):
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    error = client.get("/sparql", query_string={"query": query}).json["error"]
    assert listener.url in error and "--allow-service" in error


def test_allow_list_lets_exactly_that_endpoint_through(dataset, listener):
    app = create_app({"TESTING": True, "DATASET": dataset, "ALLOW_SERVICE": [listener.url],
                      "QUERY_WORKERS": 1, "QUERY_TIMEOUT": 5})
    client = app.test_client()
    try:
        other = listener.url.replace("/sparql", "/other")
        refused = client.get("/sparql", query_string={"query": f"ASK {{ SERVICE <{other}> {{ ?s ?p ?o }} }}"})
        assert refused.status_code == 403 and listener.connections == 0
        allowed = client.get("/sparql", query_string={"query": f"ASK {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"})
        assert allowed.status_code == 502  # the trap hangs up: a failed SERVICE call, not a 500
        assert listener.connections == 1
    finally:
        close_pool(app)


GUARDED = """
import socket, sys, urllib.request
from server import safety
safety.guard_process()
for attempt in (lambda: urllib.request.urlopen(sys.argv[1], timeout=2),
                lambda: socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=2),
                lambda: socket.getaddrinfo("example.org", 80)):
    try:
        attempt()
        print("CONNECTED")
    except PermissionError as e:
        print("REFUSED", e)
"""


def test_guard_refuses_network_in_the_process(listener, project_env):
    root, env = project_env
    run = subprocess.run([sys.executable, "-c", GUARDED, listener.url, str(listener.port)],
                         cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert run.stdout.count("REFUSED") == 3, run.stdout + run.stderr
    assert listener.connections == 0


def _connect(url: str) -> str:
    import urllib.request
    try:
        urllib.request.urlopen(url, timeout=2)
    except PermissionError:
        return "refused"
    except OSError:
        return "connected"
    return "connected"


def test_query_workers_are_guarded(listener):
    """Defence in depth: even code that bypassed the SERVICE check cannot connect from a worker."""
    pool = QueryPool(_connect, size=1, timeout=10)
    try:
        assert pool.run(listener.url) == "refused"
    finally:
        pool.close()
    assert listener.connections == 0


def test_form_post_service_refused_too(client, listener):
    body = urlencode({"query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"})
    response = client.post("/sparql", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 403 and listener.connections == 0


def test_a_bad_regular_expression_is_never_a_500(client):
    """rdflib raises on the pattern: a 400 that says why. Oxigraph follows SPARQL's rule that an
    error inside FILTER makes it false: a 200 with no rows. Either way, not a server failure."""
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o FILTER(regex(str(?o), '(')) }"},
                          headers={"Accept": "application/sparql-results+json"})
    if response.status_code == 400:
        assert "regular expression" in response.get_json()["error"]
    else:
        assert response.status_code == 200 and response.get_json()["results"]["bindings"] == []
