"""Errors: typed near the cause, rendered in one place with one shape.

SPARQL 1.1 Protocol, section 2.1.5 (https://www.w3.org/TR/sparql11-protocol/#query-failure):
a malformed query is a 400, a refused request a 4xx, a server fault a 500. Every HTTP error leaves
as ``{"error": "...", "status": N}`` for API clients and as ``text/plain`` for browsers (plain text
cannot run script, so an echoed query is harmless). Unexpected exceptions are logged with their
trace and answered 500 without it.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import (HTTPException, InternalServerError, MethodNotAllowed,
                                 default_exceptions)

log = logging.getLogger("aesc_kg.server")


class QueryError(Exception):
    """A query the endpoint will not answer, with the HTTP status that says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def render_error(error: HTTPException) -> Response:
    """The single rendering of an HTTP error (JSON for API clients, plain text for browsers)."""
    message = error.description or error.name
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        message = f"{request.method} is not allowed here; use {', '.join(sorted(error.valid_methods))}"
    if _wants_text():
        response = Response(f"{error.code} {error.name}: {message}\n", mimetype="text/plain")
    else:
        response = jsonify(error=message, status=error.code)
    response.status_code = error.code or 500
    for name, value in error.get_headers():
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value  # keep Allow (405) and similar
    return response


def render_unexpected(error: Exception) -> Response:
    """A bug, not bad input: log the trace here, tell the client only that it was our fault."""
    log.exception("unexpected error on %s %s", request.method, request.path)
    return render_error(InternalServerError("internal server error; the trace is in the server log"))


def _wants_text() -> bool:
    accept = request.accept_mimetypes
    return accept.best_match(["application/json", "text/html"]) == "text/html"


def render_query_error(error: QueryError) -> Response:
    """A refusal raised below the views (worker, pool, negotiation) as its HTTP error."""
    return render_error(default_exceptions[error.status](str(error)))


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(QueryError, render_query_error)
    app.register_error_handler(Exception, render_unexpected)
