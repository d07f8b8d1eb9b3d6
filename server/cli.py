"""``aesc-kg serve``: the SPARQL endpoint under gunicorn.

``graph/cli.py`` calls :func:`add_serve_command` on its subparsers. Every flag has a ``KG_*``
environment variable; a flag given on the command line wins over the variable, which wins over the
default. ``python -m server.cli serve ...`` runs the same command without the rest of the CLI.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

from flask import Config

from server import DEFAULTS

# flag -> (config key, type, metavar, help); HOST/PORT/WORKERS/THREADS are gunicorn settings
FLAGS = {
    "--host": ("HOST", str, "ADDR", "address to listen on (default 127.0.0.1)"),
    "--port": ("PORT", int, "PORT", "TCP port (default 8000)"),
    "--workers": ("WORKERS", int, "N", "gunicorn worker processes (default 1)"),
    "--threads": ("THREADS", int, "N", "request threads per worker (default 8)"),
    "--data": ("DATA_DIR", str, "DIR", "serve DIR/dataset.nq from `aesc-kg build --out DIR` "
                                "(default: build the graph in memory from the shipped files)"),
    "--timeout": ("QUERY_TIMEOUT", float, "SECONDS", "seconds a query may run before it is killed (default %s)"),
    "--query-workers": ("QUERY_WORKERS", int, "N", "query processes per worker; 0 runs queries in the "
                                              "request thread without time limit (default %s)"),
    "--query-memory": ("QUERY_MEMORY", int, "BYTES", "memory a query may take beyond the loaded "
                                                     "dataset; more stops it (default %s; 0: no limit)"),
    "--max-rows": ("MAX_ROWS", int, "N", "largest result, in rows or triples; larger is refused (default %s)"),
    "--max-query-length": ("MAX_QUERY_LENGTH", int, "CHARS", "longest query, in characters (default %s)"),
    "--max-body": ("MAX_CONTENT_LENGTH", int, "BYTES", "largest request body, in bytes (default %s)"),
    "--cache-max-age": ("CACHE_MAX_AGE", int, "SECONDS", "Cache-Control max-age of answers, seconds (default %s)"),
    "--store": ("STORE", str, "NAME", "query store: rdflib (default), oxigraph (pyoxigraph, for large graphs), or a remote SPARQL "
                                  "endpoint holding the pushed graphs, sparql+http://HOST:PORT/PATH"),
    "--result-cache": ("RESULT_CACHE_BYTES", int, "BYTES", "memory for cached answers; 0 turns the cache off (default %s)"),
}
SERVER_DEFAULTS = {"HOST": "127.0.0.1", "PORT": 8000, "WORKERS": 1, "THREADS": 8}


def add_serve_command(subparsers) -> argparse.ArgumentParser:
    """Register ``serve`` on an argparse subparsers object; its handler is ``args.handler``."""
    parser = subparsers.add_parser(
        "serve", help="serve the dataset over the SPARQL 1.1 Protocol (read-only)",
        description="Serve the dataset at /sparql (SPARQL 1.1 Protocol, read-only) with gunicorn.",
        epilog="Each flag can also be set by the environment variable in brackets. "
               "Queries never make network requests; SERVICE is refused unless allow-listed.")
    for flag, (key, kind, metavar, text) in FLAGS.items():
        default = DEFAULTS.get(key)
        parser.add_argument(flag, dest=key, type=kind, default=None, metavar=metavar,
                            help=f"{text % default if '%s' in text else text} [KG_{key}]")
    parser.add_argument("--allow-service", dest="ALLOW_SERVICE", action="append", metavar="URL",
                        help="a SERVICE endpoint IRI queries may call (repeatable; default: none) "
                             "[KG_ALLOW_SERVICE, space separated]")
    parser.add_argument("--log-level", default=os.environ.get("KG_LOG_LEVEL", "INFO"),
                        help="logging level (default INFO) [KG_LOG_LEVEL]")
    parser.set_defaults(handler=serve)
    return parser


def serve(args: argparse.Namespace) -> int:
    """Load the dataset once, then hand the app to gunicorn until it is stopped."""
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = {**_env_config(), **{k: v for k, v in vars(args).items() if k.isupper() and v is not None}}
    settings = {**SERVER_DEFAULTS, **{k: config[k] for k in SERVER_DEFAULTS if k in config}}

    from server import create_app
    from server.wsgi import Server, options
    app = create_app(config)
    timeout = float(app.config["QUERY_TIMEOUT"])
    Server(app, options(settings["HOST"], int(settings["PORT"]), int(settings["WORKERS"]),
                        int(settings["THREADS"]), timeout)).run()
    return 0


def _env_config() -> dict:
    """``KG_*`` environment variables as config (values parsed as JSON where they are JSON)."""
    config = Config(os.getcwd())
    config.from_prefixed_env("KG")
    return dict(config)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server.cli")
    add_serve_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
