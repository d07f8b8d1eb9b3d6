"""HTTP around every answer: CORS for browser clients, one access-log line, and ``/healthz``.

CORS (https://fetch.spec.whatwg.org/#http-cors-protocol): any origin may read the public, read-only
answers; preflight OPTIONS requests are answered by Flask's automatic OPTIONS plus the headers below.
ETag is exposed so browser clients can revalidate.
"""
from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, jsonify, request

from server.kg import get_pool, get_store

access_log = logging.getLogger("aesc_kg.access")


def init_app(app: Flask) -> None:
    app.before_request(_start_clock)
    app.after_request(_log_request)  # after_request runs last-registered first: this runs last
    app.after_request(_cors)
    app.add_url_rule("/healthz", "healthz", healthz)


def healthz():
    """Liveness plus what is served; it does not queue behind queries in the worker pool."""
    store = get_store()
    response = jsonify(status="ok", triples=store.triples(), graphs=len(store.graphs()),
                       dataset=store.etag, query_workers=get_pool().size)
    response.cache_control.no_store = True
    return response


def _start_clock() -> None:
    g.started = time.perf_counter()


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Content-Length"
    if request.method == "OPTIONS":
        asked = request.headers.get("Access-Control-Request-Headers")
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = asked or "Accept, Content-Type, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _log_request(response: Response) -> Response:
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    access_log.info("%s %s %s %.1fms", request.method, request.path, response.status_code, elapsed)
    return response
