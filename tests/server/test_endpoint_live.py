"""Real clients, unchanged, against ``serve`` running under gunicorn in a subprocess.

SPARQLWrapper, rdflib's SPARQLStore and curl; many threads of mixed queries at once; a runaway
query stopped by the time limit while other clients are served. Expected answers come from the
same dump loaded locally (``live_server.dataset``).
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TYPES = "SELECT DISTINCT ?t WHERE { ?s a ?t } ORDER BY ?t"
CONSTRUCT = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } ORDER BY ?s ?t LIMIT 25"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def local_count(live_server) -> int:
    return int(next(iter(live_server.dataset.query(COUNT)))[0])


def local_types(live_server) -> list[str]:
    return [str(row[0]) for row in live_server.dataset.query(TYPES)]


def wrapper(live_server, query, fmt, method=None) -> SPARQLWrapper:
    client = SPARQLWrapper(live_server.url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method:
        client.setMethod(method)
    return client


@pytest.mark.parametrize("method", [None, POST], ids=["get", "post"])
def test_sparqlwrapper_json(live_server, method):
    rows = wrapper(live_server, TYPES, JSON, method).queryAndConvert()["results"]["bindings"]
    assert [r["t"]["value"] for r in rows] == local_types(live_server)


@pytest.mark.parametrize("fmt", [XML, CSV, TSV])
def test_sparqlwrapper_other_result_formats(live_server, fmt):
    response = wrapper(live_server, TYPES, fmt).query()
    body = response.response.read()
    parsed = Result.parse(io.BytesIO(body), format={XML: "xml", CSV: "csv", TSV: "tsv"}[fmt])
    assert [str(row[0]) for row in parsed] == local_types(live_server)


# SPARQLWrapper 2.0 builds its graphs with rdflib's deprecated ConjunctiveGraph: its warning, not ours.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning:SPARQLWrapper")
def test_sparqlwrapper_ask_and_construct(live_server):
    assert wrapper(live_server, "ASK { ?s ?p ?o }", JSON).queryAndConvert()["boolean"] is True
    graph = wrapper(live_server, CONSTRUCT, XML).queryAndConvert()  # rdflib Graph from RDF/XML
    assert isomorphic(graph, live_server.dataset.query(CONSTRUCT).graph)
    turtle = wrapper(live_server, CONSTRUCT, TURTLE).queryAndConvert()
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), graph)


def test_sparqlwrapper_named_graph(live_server):
    graph = sorted(live_server.dataset.graphs(), key=len)[-1].identifier
    client = wrapper(live_server, COUNT, JSON)
    client.addDefaultGraph(str(graph))
    n = client.queryAndConvert()["results"]["bindings"][0]["n"]["value"]
    assert int(n) == len(live_server.dataset.graph(graph))


def test_rdflib_sparqlstore(live_server):
    remote = Graph(store=SPARQLStore(live_server.url))
    assert int(next(iter(remote.query(COUNT)))[0]) == local_count(live_server)
    assert [str(r[0]) for r in remote.query(TYPES)] == local_types(live_server)
    assert len(remote) == local_count(live_server)
    some_type = local_types(live_server)[0]
    from rdflib import RDF, URIRef
    local = set(live_server.dataset.triples((None, RDF.type, URIRef(some_type))))
    assert set(remote.triples((None, RDF.type, URIRef(some_type)))) == local


@pytest.mark.skipif(shutil.which("curl") is None, reason="no curl binary")
def test_curl(live_server):
    got = subprocess.run(["curl", "-sS", "-G", "--data-urlencode", f"query={TYPES}",
                          "-H", "Accept: text/csv", live_server.url],
                         capture_output=True, text=True, timeout=30, check=True).stdout
    assert got.splitlines()[1:] == local_types(live_server)
    posted = subprocess.run(["curl", "-sS", "-X", "POST", "-H", "Content-Type: application/sparql-query",
                             "--data-binary", COUNT, live_server.url],
                            capture_output=True, text=True, timeout=30, check=True).stdout
    assert int(json.loads(posted)["results"]["bindings"][0]["n"]["value"]) == local_count(live_server)
    head = subprocess.run(["curl", "-sS", "-i", "-X", "PUT", live_server.url],
                          capture_output=True, text=True, timeout=30).stdout
    assert head.startswith("HTTP/1.1 405")


MIXED = [
    ({"query": COUNT}, "application/sparql-results+json"),
    ({"query": TYPES}, "text/csv"),
    ({"query": TYPES}, "text/tab-separated-values"),
    ({"query": "ASK { ?s ?p ?o }"}, "application/sparql-results+xml"),
    ({"query": CONSTRUCT}, "application/n-triples"),
    ({"query": "SELECT * WHERE { ?s ?p"}, None),  # malformed: 400
]


def test_concurrent_mixed_queries(live_server):
    def one(case):
        params, accept = case
        r = requests.get(live_server.url, params=params, headers={"Accept": accept or "*/*"}, timeout=30)
        return case, r.status_code, r.content

    expected = {repr(c): one(c)[1:] for c in MIXED}  # sequential answers first
    cases = MIXED * 20
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(one, cases))
    for case, status, body in results:
        assert (status, body) == expected[repr(case)]
    assert {status for _, status, _ in results} == {200, 400}


def test_runaway_query_on_live_server(live_server):
    outcome = {}

    def runaway():
        started = time.monotonic()
        r = requests.get(live_server.url, params={"query": RUNAWAY}, timeout=60)
        outcome.update(status=r.status_code, body=r.json(), took=time.monotonic() - started)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    for _ in range(5):
        started = time.monotonic()
        r = requests.get(live_server.url, params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert r.status_code == 200 and time.monotonic() - started < 2
    thread.join()
    assert outcome["status"] == 503 and "2 s time limit" in outcome["body"]["error"]
    assert outcome["took"] < 15


def test_body_limit_on_live_server(live_server):
    r = requests.post(live_server.url, data=b"ASK {}" + b" " * 300_000,
                      headers={"Content-Type": "application/sparql-query"}, timeout=30)
    assert r.status_code == 413


def test_access_log(live_server):
    requests.get(live_server.url, params={"query": "ASK {}"}, timeout=30)
    time.sleep(0.2)
    log = live_server.log.read_text()
    assert "aesc_kg.access: GET /sparql 200 " in log and "Traceback" not in log
