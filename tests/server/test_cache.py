"""The answer cache: bounded by bytes, least recently used out first, in the request process,
keyed by everything that shapes an answer, and never holding a failure of the server."""
from __future__ import annotations

import doctest

import pytest

import server.cache
import server.oxigraph_store
from server.cache import LRUCache
from server.execute import Answer


def test_doctests():
    for module in (server.cache, server.oxigraph_store):
        assert doctest.testmod(module).failed == 0


def test_bounded_by_bytes_and_least_recently_used_goes_first():
    cache = LRUCache(10_000, cost=lambda key, value: len(value), max_entry=10_000)
    for n in range(10):
        cache.put(f"k{n}", b"x" * 1_000)
    cache.get("k0")  # now the most recently used
    cache.put("new", b"y" * 2_500)
    assert cache.bytes <= 10_000
    assert cache.get("k0") is not None and cache.get("new") is not None
    assert cache.get("k1") is None and cache.get("k2") is None and cache.get("k3") is None


def test_an_entry_too_large_is_not_kept():
    cache = LRUCache(8_000, cost=lambda key, value: len(value))
    cache.put("big", b"x" * 1_001)  # over an eighth of the budget
    assert cache.get("big") is None and cache.bytes == 0


class CountingPool:
    def __init__(self, pool):
        self.pool, self.runs = pool, 0

    def run(self, job):
        self.runs += 1
        return self.pool.run(job)


@pytest.fixture
def counted(app, monkeypatch):
    """The app's pool, counting the jobs that reach it; and a fresh cache."""
    from server import kg
    pool = CountingPool(kg.start_pool(app))
    monkeypatch.setattr("server.sparql.get_pool", lambda: pool)
    app.extensions.pop("kg_cache", None)
    yield pool
    app.extensions.pop("kg_cache", None)


QUERY = "SELECT ?s WHERE { ?s a <http://example.org/Person> } ORDER BY ?s"


def test_same_request_is_answered_from_the_cache(app, client, counted):
    first = client.get("/sparql", query_string={"query": QUERY})
    second = client.get("/sparql", query_string={"query": QUERY})
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and counted.runs == 1
    assert app.extensions["kg_cache"]["cache"].hits == 1


@pytest.mark.parametrize("query", [
    "SELECT (NOW() AS ?t) WHERE {}",
    "SELECT (RAND() AS ?r) WHERE {}",
    "SELECT (STRUUID() AS ?u) WHERE {}",
], ids=["now", "rand", "struuid"])
def test_a_query_that_is_not_deterministic_is_never_cached_nor_validated(client, counted, query):
    first = client.get("/sparql", query_string={"query": query})
    second = client.get("/sparql", query_string={"query": query})
    assert first.status_code == second.status_code == 200
    assert counted.runs == 2, "the second answer came from the cache"
    assert "ETag" not in second.headers and "no-store" in second.headers["Cache-Control"]


@pytest.mark.parametrize("other", [
    {"query": QUERY, "format": "csv"},
    {"query": QUERY + " "},
    {"query": QUERY, "default-graph-uri": "http://example.org/graph/people"},
], ids=["format", "text", "dataset"])
def test_anything_that_shapes_the_answer_is_in_the_key(client, counted, other):
    client.get("/sparql", query_string={"query": QUERY})
    response = client.get("/sparql", query_string=other)
    assert response.status_code == 200 and counted.runs == 2


def test_a_bad_query_is_cached_a_server_failure_is_not(client, counted, monkeypatch):
    for _ in range(2):
        assert client.get("/sparql", query_string={"query": "SELECT * WHERE {"}).status_code == 400
    assert counted.runs == 1
    monkeypatch.setattr(counted.pool, "run", lambda job: Answer.error(503, "busy"))
    for _ in range(2):
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 503
    assert counted.runs == 3


def test_cache_off(app, client, counted, monkeypatch):
    monkeypatch.setitem(app.config, "RESULT_CACHE_BYTES", 0)
    for _ in range(2):
        client.get("/sparql", query_string={"query": QUERY})
    assert counted.runs == 2 and app.extensions["kg_cache"]["cache"] is None
