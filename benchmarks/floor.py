"""The HTTP floor: a trivial Flask app returning a fixed body, under the endpoint's gunicorn settings.

No endpoint on this stack can answer faster than this one: the ratio of a server's latency to the
floor's says how much of it is the query and how much the web stack.

    python -m benchmarks.floor PORT
"""
from __future__ import annotations

import sys

from flask import Flask, Response
from gunicorn.app.base import BaseApplication

from server.wsgi import options

BODY = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'


def create() -> Flask:
    app = Flask(__name__)

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql():
        return Response(BODY, content_type="application/sparql-results+json")

    @app.route("/healthz")
    def healthz():
        return "ok"

    return app


class Floor(BaseApplication):
    def __init__(self, app, settings):
        self.application, self.settings = app, settings
        super().__init__()

    def load_config(self):
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


if __name__ == "__main__":
    Floor(create(), options("127.0.0.1", int(sys.argv[1]), 1, 8, 5.0)).run()
