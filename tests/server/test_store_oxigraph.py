"""The Oxigraph store's own rules: SERVICE is refused however it is written (Oxigraph would call it
from Rust, below the workers' audit hook), the rdflib check runs once per query text, rows are limited."""
from __future__ import annotations

import pytest

pytest.importorskip("pyoxigraph")

from graph.formats import BY_NAME  # noqa: E402
from server import safety  # noqa: E402
from server.errors import QueryError  # noqa: E402
from server.oxigraph_store import OxigraphStore  # noqa: E402


@pytest.fixture(scope="module")
def store(dataset):
    return OxigraphStore.from_dataset(dataset)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVI\\u0043E <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s <http://example.org/p>?SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y 'a' . SERVICE <{url}> { ?s ?p ?o } } # '",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { BIND(ex:a\\#b AS ?z) SERVICE <{url}> { ?s ?p ?o } }",
], ids=["plain", "silent", "escaped", "after-path-modifier", "after-string", "escaped-hash-in-name"])
def test_service_is_refused_and_never_called(store, listener, query):
    with pytest.raises(QueryError) as refused:
        list(store.query(query.replace("{url}", listener.url)))
    assert refused.value.status in (400, 403)
    assert listener.connections == 0


def test_rdflib_check_runs_once_per_query_text(store, monkeypatch):
    calls = []
    real = safety.parse_query
    monkeypatch.setattr(safety, "parse_query", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    query = "SELECT ?from WHERE { ?s ?p ?from FILTER(?from != 'service from') } # a unique text 41"
    assert len(list(store.query(query))) == 16
    assert len(list(store.query(query))) == 16
    assert calls == [1]


def test_row_limit_is_exact_in_every_format(store):
    for name in ("json", "xml", "csv", "tsv"):
        assert store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 16").serialize_native(BY_NAME[name], 16)
        with pytest.raises(QueryError) as too_many:
            store.query("SELECT * WHERE { ?s ?p ?o }").serialize_native(BY_NAME[name], 15)
        assert too_many.value.status == 422


def test_bindings_are_terms_not_text(store):
    rows = list(store.query("SELECT ?o WHERE { ?s ?p ?o FILTER(?s = ?who) }",
                            bindings={"who": __import__("rdflib").URIRef("http://example.org/bob")}))
    assert rows
    with pytest.raises(QueryError):
        store.query("SELECT * WHERE { ?s ?p ?o }",
                    bindings={"who": __import__("rdflib").URIRef("http://example.org/> } ; DROP ALL ; {")})
