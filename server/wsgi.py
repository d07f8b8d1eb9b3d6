"""Run the app under gunicorn, programmatically (https://docs.gunicorn.org/en/stable/custom.html).

The app (and so the dataset) is created once in the gunicorn master, then shared copy-on-write by
the forked workers. Each worker serves requests from a thread pool (``gthread``) and, in
``post_worker_init`` (before those threads exist), forks its own query-worker processes.
"""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from server.kg import close_pool, start_pool


class Server(BaseApplication):
    """gunicorn serving an already-created Flask app with the given settings."""

    def __init__(self, app, options: dict):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("post_worker_init", _post_worker_init)
        self.cfg.set("worker_exit", _worker_exit)

    def load(self):
        return self.application


def _post_worker_init(worker) -> None:
    start_pool(worker.wsgi)


def _worker_exit(server, worker) -> None:
    close_pool(worker.wsgi)


def options(host: str, port: int, workers: int, threads: int, query_timeout: float) -> dict:
    """gunicorn settings for the endpoint."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # the heartbeat must outlive the slowest legal request (query limit + serialisation)
        "timeout": max(30, int(2 * query_timeout) + 10),
        "graceful_timeout": 10,
        "limit_request_line": 8190,  # long GET queries (the maximum gunicorn allows)
        "control_socket_disable": True,  # no management socket: the server is configured by flags
        "accesslog": None,  # one line per request comes from the app (server/http.py)
        "errorlog": "-",
    }
