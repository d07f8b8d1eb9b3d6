"""The shared state of the app: the store (loaded once) and this process's query-worker pool.

Like flaskr's ``get_db``: ``init_app`` puts the store in ``app.extensions["kg"]``, views reach it
through :func:`get_store` and :func:`get_pool`. The pool is per *process*: gunicorn loads the app
(and the dataset) in its master and forks workers, and forked query workers must be children of
the process that talks to them. :func:`start_pool` runs in gunicorn's ``post_worker_init``, before
the worker starts its threads; a process that skipped it (tests, Flask's runner) starts one lazily.
"""
from __future__ import annotations

import functools
import os
import threading

from flask import Flask, current_app

from server.execute import execute
from server.pool import InlinePool, QueryPool
from server.store import open_store

_lock = threading.Lock()


def init_app(app: Flask) -> None:
    store = open_store(app.config)
    store.etag  # noqa: B018 - hashed now, single-threaded: a store lock held at a later fork would stay held
    app.extensions["kg"] = {"store": store, "pool": None, "pid": None}


def get_store():
    return current_app.extensions["kg"]["store"]


def get_pool():
    """This process's pool, started on first use."""
    return start_pool(current_app)


def start_pool(app: Flask):
    kg = app.extensions["kg"]
    with _lock:
        if kg["pool"] is None or kg["pid"] != os.getpid():
            kg["pool"], kg["pid"] = _new_pool(app.config, kg["store"]), os.getpid()
        return kg["pool"]


def _new_pool(config, store):
    target = functools.partial(execute, store)
    if int(config["QUERY_WORKERS"]) <= 0:
        return InlinePool(target)
    return QueryPool(target, int(config["QUERY_WORKERS"]), float(config["QUERY_TIMEOUT"]),
                     config["ALLOW_SERVICE"], int(config.get("QUERY_MEMORY") or 0))


def close_pool(app: Flask) -> None:
    kg = app.extensions.get("kg", {})
    if kg.get("pool") is not None and kg.get("pid") == os.getpid():
        kg["pool"].close()
        kg["pool"] = None
