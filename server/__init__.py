"""The SPARQL endpoint of aesc-kg: a Flask app serving the built dataset, read-only.

:func:`create_app` is the one factory (https://flask.palletsprojects.com/en/stable/patterns/appfactories/):
defaults, then either the given mapping (tests) or ``KG_*`` environment variables (deployment), then
the dataset is loaded once and the blueprints and handlers attached. ``aesc-kg serve`` runs it under
gunicorn (server/wsgi.py). The protocol itself is in :mod:`server.sparql`.
"""
from __future__ import annotations

from flask import Flask

DEFAULTS = {
    "DATA_DIR": None,            # an `aesc-kg build --out DIR` output; None: build in memory
    "QUERY_TIMEOUT": 5.0,        # seconds a query may run before its worker is killed
    "QUERY_WORKERS": 2,
    "QUERY_MEMORY": 1 << 30,     # bytes of memory a query may add to its worker (0: no limit)          # worker processes per server process (0: inline, no time limit)
    "MAX_ROWS": 10_000,          # rows (or triples) a result may have; more is refused, not cut
    "MAX_QUERY_LENGTH": 32_768,  # characters of query text
    "MAX_CONTENT_LENGTH": 262_144,  # bytes of request body (Flask/Werkzeug answer 413)
    "ALLOW_SERVICE": (),         # SERVICE endpoint IRIs the operator allows; empty: no federation
    "CACHE_MAX_AGE": 300,        # seconds clients may reuse an answer without revalidating
    "STORE": None,               # "rdflib" (default) or "oxigraph" (server/oxigraph_store.py), or a ready store object
    "RESULT_CACHE_BYTES": 64 << 20,  # answers kept in the request process (server/cache.py); 0: no cache
    "DATASET": None,             # a ready rdflib Dataset (tests)
}


def create_app(config: dict | None = None) -> Flask:
    """The endpoint app; ``config`` overlays the defaults, else ``KG_*`` environment variables do."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    if config is None:
        app.config.from_prefixed_env("KG")
    else:
        app.config.from_mapping(config)
    app.config["ALLOW_SERVICE"] = _url_list(app.config["ALLOW_SERVICE"])

    from server import errors, http, kg, sparql
    kg.init_app(app)
    errors.init_app(app)
    http.init_app(app)
    app.register_blueprint(sparql.bp)
    from server import canned, pages  # the HTML surfaces: canned queries, editor, resource pages
    canned.init_app(app)
    app.register_blueprint(pages.bp)
    return app


def _url_list(value) -> tuple[str, ...]:
    """A list from config or from an env var (JSON list, or comma/space separated)."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return tuple(str(v) for v in value or ())


__all__ = ["create_app", "DEFAULTS"]
