"""Federation, safe by default: SERVICE reaches only allow-listed endpoints, with a time limit, a
row cap and no redirects. Two local servers: a real Oxigraph holding a few Wikidata-style triples
(allow-listed) and a plain TCP listener that counts connections (never allowed, never contacted)."""
from __future__ import annotations

import http.server
import json
import socket
import threading

import pytest

import graph
from server import create_app, federation
from server.kg import close_pool
from tests.oxigraph_server import OxigraphServer

WIKIDATA_SAMPLE = """\
<http://www.wikidata.org/entity/Q787901> <http://www.wikidata.org/prop/direct/P159> <http://www.wikidata.org/entity/Q38283> .
<http://www.wikidata.org/entity/Q787901> <http://www.wikidata.org/prop/direct/P571> "2007-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<http://www.wikidata.org/entity/Q20165> <http://www.wikidata.org/prop/direct/P159> <http://www.wikidata.org/entity/Q38283> .
<http://www.wikidata.org/entity/Q787901> <http://www.w3.org/2000/01/rdf-schema#label> "Automotive Energy Supply Corporation"@en .
"""
WD = "http://www.wikidata.org/entity/"


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory):
    server = OxigraphServer(tmp_path_factory.mktemp("wikidata") / "store", "--union-default-graph").start()
    server.put("http://example.org/wikidata-sample", WIKIDATA_SAMPLE)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def built():
    return graph.build()


@pytest.fixture(scope="module")
def fed_app(built, wikidata):
    app = create_app({"TESTING": True, "DATASET": built, "ALLOW_SERVICE": [wikidata.query],
                      "QUERY_WORKERS": 1, "QUERY_TIMEOUT": 20})
    yield app
    close_pool(app)


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in response.json["results"]["bindings"]]


def test_canned_federation_joins_our_graph_with_the_allow_listed_endpoint(fed_app, wikidata, listener):
    client = fed_app.test_client()
    found = rows(client.get("/queries/wikidata-federation.json", query_string={"service": wikidata.query}))
    by_label = {r["label"]: r for r in found}
    assert set(by_label) == {"Automotive Energy Supply Corporation", "Nissan", "Panasonic", "Renault"}
    aesc = by_label["Automotive Energy Supply Corporation"]
    assert aesc["ourHeadquarters"] == aesc["theirHeadquarters"] == WD + "Q38283"
    assert aesc["ourFounding"] == "2007" and aesc["theirInception"].startswith("2007-01-01")
    assert by_label["Nissan"]["theirHeadquarters"] == WD + "Q38283"
    assert "theirHeadquarters" not in by_label["Renault"]  # not in the sample: OPTIONAL stays empty
    assert listener.connections == 0


def test_canned_federation_with_an_endpoint_not_allow_listed_calls_nothing(fed_app, listener):
    found = rows(fed_app.test_client().get("/queries/wikidata-federation.json",
                                           query_string={"service": listener.url}))
    assert len(found) == 4 and not any("theirHeadquarters" in r for r in found)  # SILENT: local part only
    assert listener.connections == 0


def test_sparql_service_to_the_allowed_endpoint_and_not_to_the_other(fed_app, wikidata, listener):
    client = fed_app.test_client()
    allowed = f"SELECT ?hq WHERE {{ SERVICE <{wikidata.query}> {{ wd:Q787901 wdt:P159 ?hq }} }}"
    assert rows(client.get("/sparql", query_string={"query": allowed})) == [{"hq": WD + "Q38283"}]
    for query in (f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
                  f"SELECT * WHERE {{ BIND(<{listener.url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}"):
        assert client.get("/sparql", query_string={"query": query}).status_code == 403
    assert listener.connections == 0


def test_without_allow_list_service_is_refused(built, wikidata):
    app = create_app({"TESTING": True, "DATASET": built, "QUERY_WORKERS": 0})
    query = f"ASK {{ SERVICE <{wikidata.query}> {{ ?s ?p ?o }} }}"
    assert app.test_client().get("/sparql", query_string={"query": query}).status_code == 403


def test_two_service_clauses_are_refused(fed_app, wikidata):
    query = (f"SELECT * WHERE {{ SERVICE <{wikidata.query}> {{ ?a ?b ?c }} "
             f"SERVICE <{wikidata.query}> {{ ?d ?e ?f }} }}")
    response = fed_app.test_client().get("/sparql", query_string={"query": query})
    assert response.status_code == 400 and "one SERVICE" in response.json["error"]


class _Redirect(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_POST(self):  # noqa: N802
        self.send_response(302)
        self.send_header("Location", self.target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def redirector(listener):
    _Redirect.target = listener.url
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.fixture
def mute():
    """Accepts connections and never answers."""
    sock = socket.create_server(("127.0.0.1", 0))
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
    sock.close()


def _inline(built, url, **config):
    return create_app({"TESTING": True, "DATASET": built, "ALLOW_SERVICE": [url], "QUERY_WORKERS": 0, **config})


def test_redirects_are_not_followed(built, redirector, listener):
    app = _inline(built, redirector)
    response = app.test_client().get("/sparql", query_string={
        "query": f"SELECT * WHERE {{ SERVICE <{redirector}> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 502 and "redirects are not followed" in response.json["error"]
    assert listener.connections == 0


def test_service_has_its_own_time_limit(built, mute, monkeypatch):
    monkeypatch.setattr(federation, "SERVICE_TIMEOUT", 1.0)
    response = _inline(built, mute).test_client().get("/sparql", query_string={
        "query": f"SELECT * WHERE {{ SERVICE <{mute}> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 504 and "within 1 s" in response.json["error"]


def test_service_rows_are_capped(built, wikidata, monkeypatch):
    monkeypatch.setattr(federation, "SERVICE_MAX_ROWS", 2)
    response = _inline(built, wikidata.query).test_client().get("/sparql", query_string={
        "query": f"SELECT * WHERE {{ SERVICE <{wikidata.query}> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 422 and "more than 2 rows" in response.json["error"]


def test_sent_query_binds_values_inside_the_group(built, wikidata, monkeypatch):
    sent = []
    real = federation._call
    monkeypatch.setattr(federation, "_call", lambda e, q, p: sent.append(q) or real(e, q, p))
    app = _inline(built, wikidata.query)
    query = (f"SELECT ?hq WHERE {{ <https://w3id.org/aesc-kg/id/company/aesc> skos:exactMatch ?item "
             f"SERVICE <{wikidata.query}> {{ OPTIONAL {{ ?item wdt:P159 ?hq }} }} }}")
    assert rows(app.test_client().get("/sparql", query_string={"query": query})) == [{"hq": WD + "Q38283"}]
    assert len(sent) == 1 and f"WHERE {{ VALUES (?item) {{ (<{WD}Q787901>) }}" in sent[0]


def test_remote_store_refuses_service(tmp_path, built, wikidata):
    from graph.iris import PREFIXES
    from graph.push import push
    from server.errors import QueryError
    from server.remote_store import RemoteStore
    server = OxigraphServer(tmp_path / "data").start()
    try:
        push(built, server.store, graph_per_named_graph=True)
        store = RemoteStore(f"sparql+{server.query}", PREFIXES, allow_service=[wikidata.query])
        with pytest.raises(QueryError) as err:
            store.query(f"ASK {{ SERVICE <{wikidata.query}> {{ ?s ?p ?o }} }}")
        assert err.value.status == 403
    finally:
        server.stop()


def test_expected_offline_result_is_recorded():
    from tests.canned_results import EXPECTED_DIR
    expected = json.loads((EXPECTED_DIR / "wikidata-federation.json").read_text(encoding="utf-8"))
    assert expected["vars"][:2] == ["label", "item"]
