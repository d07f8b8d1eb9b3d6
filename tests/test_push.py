"""``aesc-kg push``: the build lands in a real Oxigraph server, triple for triple, and only our graphs
change; errors name the HTTP status, the body and what was written."""
from __future__ import annotations

import base64
import http.server
import threading

import pytest
from rdflib import Dataset, Graph, URIRef

from graph import GRAPHS
from graph.cli import main
from graph.push import UNION_GRAPH, PushError, push, same_value
from tests.oxigraph_server import OxigraphServer, free_port

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
OTHER = "http://example.org/someone-elses-graph"


@pytest.fixture
def oxigraph(tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph").start()
    server.put(OTHER, "<http://example.org/a> <http://example.org/b> \"kept\" .\n")
    yield server
    server.stop()


def store_contents(server) -> Dataset:
    stored = Dataset()
    stored.parse(data=server.nquads(), format="nquads")
    return stored


def as_values(graph) -> set:
    """Triples compared by value: Oxigraph keeps numbers in canonical form (9.0 is stored as 9)."""
    return {same_value(triple) for triple in graph}


def test_push_per_named_graph_copies_every_triple_and_nothing_else(dataset, oxigraph):
    report = push(dataset, oxigraph.store, graph_per_named_graph=True)
    stored = store_contents(oxigraph)
    for iri in GRAPHS:
        assert as_values(stored.graph(iri)) == as_values(dataset.graph(iri)), iri
        assert report.written[str(iri)] == report.verified[str(iri)] == len(dataset.graph(iri))
    assert len(stored.graph(URIRef(OTHER))) == 1  # a graph we do not own is untouched
    names = {g.identifier for g in stored.graphs() if len(g)}
    assert names == {*GRAPHS, URIRef(OTHER)}


def test_push_twice_is_idempotent_and_replaces_stale_content(dataset, oxigraph):
    oxigraph.put(str(GRAPHS[1]), "<http://example.org/stale> <http://example.org/p> \"old\" .\n")
    push(dataset, oxigraph.store, graph_per_named_graph=True)
    first = oxigraph.nquads()
    push(dataset, oxigraph.store, graph_per_named_graph=True)
    assert sorted(oxigraph.nquads().splitlines()) == sorted(first.splitlines())
    assert "stale" not in first


def test_push_union_into_one_graph_verified_by_count(dataset, oxigraph):
    report = push(dataset, oxigraph.store, query_url=oxigraph.query)
    stored = store_contents(oxigraph)
    union = Graph()
    for iri in GRAPHS:
        union += dataset.graph(iri)
    assert as_values(stored.graph(UNION_GRAPH)) == as_values(union)
    assert report.verified == {str(UNION_GRAPH): len(union)}
    assert not any(len(stored.graph(iri)) for iri in GRAPHS)


def test_cli_push_from_dumps(dumps, dataset, oxigraph, capsys):
    assert main(["push", oxigraph.store, "--graph-per-named-graph", "--data", str(dumps)]) == 0
    out = capsys.readouterr().out
    assert "verified" in out and f"<{GRAPHS[2]}>" in out
    total = sum(len(dataset.graph(iri)) for iri in GRAPHS)
    assert f"{total} triples" in out.splitlines()[-1]


def test_wrong_url_names_status_and_hint(dataset, oxigraph):
    with pytest.raises(PushError) as err:
        push(dataset, oxigraph.root + "/no-such-endpoint")
    assert "HTTP 404" in str(err.value) and "Graph Store endpoint" in str(err.value)


def test_store_down_is_a_clear_error(dataset):
    with pytest.raises(PushError) as err:
        push(dataset, f"http://127.0.0.1:{free_port()}/store", timeout=5)
    assert "cannot reach the store" in str(err.value) and "written: nothing" in str(err.value)


class _Fake(http.server.BaseHTTPRequestHandler):
    """A Graph Store that wants a password and, when given one, fails on the second PUT."""
    puts: list

    def do_PUT(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers["Content-Length"]))
        expected = "Basic " + base64.b64encode(b"alice:secret").decode()
        if self.headers.get("Authorization") != expected:
            return self._answer(401, b"wrong user or password")
        self.puts.append(self.path)
        if len(self.puts) > 1:
            return self._answer(500, b"disk full")
        self._answer(204, b"")

    def _answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_store():
    _Fake.puts = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store"
    server.shutdown()
    server.server_close()


def test_auth_failure_names_status_and_body(dataset, fake_store):
    with pytest.raises(PushError) as err:
        push(dataset, fake_store, auth="alice:wrong")
    assert "HTTP 401" in str(err.value) and "wrong user or password" in str(err.value)
    assert "--auth" in str(err.value)


def test_failure_part_way_says_what_was_written(dataset, fake_store):
    with pytest.raises(PushError) as err:
        push(dataset, fake_store, graph_per_named_graph=True, auth="alice:secret")
    message = str(err.value)
    assert "HTTP 500" in message and "disk full" in message
    assert f"written: <{GRAPHS[0]}> ({len(dataset.graph(GRAPHS[0]))} triples)" in message
    assert f"not written: <{GRAPHS[1]}>, <{GRAPHS[2]}>" in message and "again is safe" in message


def test_auth_and_token_are_exclusive(dataset):
    with pytest.raises(PushError):
        push(dataset, "http://127.0.0.1:1/store", auth="a:b", token="t")
