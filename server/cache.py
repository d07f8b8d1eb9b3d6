"""Answers and parsed queries, reused: correct because the dataset never changes while served.

:class:`LRUCache` is a thread-safe least-recently-used map bounded by the bytes its values hold.
Two caches use it:

- **answers** (:func:`run`): the request process keeps the bytes of each answer, keyed by the
  whole :class:`~server.execute.Job` (query text, parameter bindings, protocol dataset, negotiated
  formats, base, row limit), so the same request in the same format is served without waking a
  query worker. It must live in the process that handles requests, *before* the dispatch to the
  worker pool: a cache inside a worker would be lost whenever a worker is killed at the time limit.
  Each gunicorn worker process has its own (``--workers`` N means N caches). Only answers that
  the same request will get again are kept: 200s and 4xx refusals of the query itself, never 5xx
  or 503, and never the answer of a query that is not deterministic (:func:`deterministic`).
- **requests** (:func:`seen`, :func:`see`): a GET whose URL, Host and Accept header were seen
  before gets the same bytes and ETag back before its query is even read or its format
  negotiated: the fast path of repeated canned queries. Same budget as the answers.
- **parsed queries** (:func:`parsed`): rdflib spends 3-17 ms parsing and translating a query; each
  query worker keeps the result for reuse (Oxigraph parses in microseconds and needs none).

Size: ``RESULT_CACHE_BYTES`` (``--result-cache``, default 64 MiB; 0 turns the answer cache off).
No entry may take more than an eighth of it, so one large answer cannot flush the others.
"""
from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict

from flask import current_app, request

ENTRY_OVERHEAD = 200      # bytes of bookkeeping per entry (key object, tuple, list node)
# Functions and clauses whose result can differ between two runs over the same data.
_VOLATILE = re.compile(r"(?i)\b(?:NOW|RAND|UUID|STRUUID|BNODE|SERVICE)\b")
CACHEABLE = {200, 400, 403, 406, 413, 422}  # the same request gets the same answer


class LRUCache:
    """A map whose entries cost at most ``max_bytes`` in all (``cost(key, value)`` each), least
    recently used entries evicted first.

    >>> c = LRUCache(1000, cost=lambda key, value: len(value), max_entry=500)
    >>> c.put("a", b"x" * 400); c.put("b", b"y" * 400); c.get("a") is not None
    True
    >>> c.put("c", b"z" * 400); (c.get("b"), len(c))
    (None, 2)
    """

    def __init__(self, max_bytes: int, cost, max_entry: int | None = None):
        self.max_bytes, self.cost = int(max_bytes), cost
        self.max_entry = self.max_bytes // 8 if max_entry is None else max_entry
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = self.hits = self.misses = 0

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key, value) -> None:
        cost = self.cost(key, value)
        if cost > self.max_entry:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._items[key] = (value, cost)
            self.bytes += cost
            while self.bytes > self.max_bytes:
                _, (_, freed) = self._items.popitem(last=False)
                self.bytes -= freed

    def __len__(self) -> int:
        return len(self._items)

    def stats(self) -> dict:
        return {"entries": len(self), "bytes": self.bytes, "max_bytes": self.max_bytes,
                "hits": self.hits, "misses": self.misses}


def get_cache() -> LRUCache | None:
    """This process's answer cache (None when turned off); made in the process that uses it."""
    kg = current_app.extensions.setdefault("kg_cache", {"cache": None, "pid": None})
    if kg["pid"] != os.getpid():
        limit = int(current_app.config.get("RESULT_CACHE_BYTES") or 0)
        kg["cache"] = LRUCache(limit, cost=_answer_cost) if limit > 0 else None
        kg["pid"] = os.getpid()
    return kg["cache"]


def deterministic(query: str) -> bool:
    """False for a query whose answer may change between runs: NOW(), RAND(), UUID(), STRUUID(),
    BNODE() or a SERVICE call. Such answers are neither cached nor given an ETag. A word match:
    a variable such as ``?rand`` only costs a cache miss.

    >>> deterministic("SELECT * WHERE { ?s ?p ?o }"), deterministic("SELECT (NOW() AS ?t) {}")
    (True, False)
    """
    return _VOLATILE.search(query) is None


def run(job, pool):
    """``pool.run(job)``, or the answer an identical job got before."""
    cache = get_cache()
    if cache is None or not deterministic(job.query):
        return pool.run(job)
    key = repr(job)  # every field of the Job: text, bindings, dataset, formats, base, limit
    answer = cache.get(key)
    if answer is None:
        answer = pool.run(job)
        if answer.status in CACHEABLE:
            cache.put(key, answer)
    return answer


def _request_key():
    """What a GET's answer depends on besides the app: its URL (the query, the protocol dataset,
    ``format``; the base IRI) and its Accept header. None for any other method."""
    if request.method != "GET":
        return None
    return ("GET", request.scheme, request.host, request.path, request.query_string,
            request.headers.get("Accept", ""))


def seen():
    """``(body, content type, etag)`` of a successful answer to this very GET, or None."""
    cache, key = get_cache(), _request_key()
    if cache is None or key is None:
        return None
    return cache.get(key)


def see(answer, etag: str) -> None:
    """Remember a successful answer to this GET (see :func:`seen`)."""
    cache, key = get_cache(), _request_key()
    if cache is not None and key is not None:
        cache.put(key, (answer.body, answer.content_type, etag))


def _answer_cost(key, answer) -> int:
    if isinstance(key, tuple):  # a request's entry: (body, content type, etag)
        return sum(map(len, key)) + len(answer[0]) + 100 + ENTRY_OVERHEAD
    return len(key) + len(answer.body) + len(answer.content_type) + ENTRY_OVERHEAD


_PARSED = LRUCache(256, cost=lambda key, value: 1)  # counted in queries, not bytes


def parsed(key: tuple, parse):
    """``parse()``, remembered under ``key`` (at most 256 queries per process)."""
    prepared = _PARSED.get(key)
    if prepared is None:
        prepared = parse()
        _PARSED.put(key, prepared)
    return prepared
