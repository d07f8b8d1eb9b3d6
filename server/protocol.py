"""Read one SPARQL 1.1 Protocol query request: the operation, its dataset and its format wishes.

https://www.w3.org/TR/sparql11-protocol/#query-operation : a query comes by GET (``?query=``), by
POST url-encoded (``query=`` in the body) or by POST directly (``application/sparql-query`` body);
``default-graph-uri`` / ``named-graph-uri`` may repeat. Everything else is refused here, close to
the cause: two queries, an update (this endpoint is read-only), a missing or foreign media type,
a charset other than UTF-8 and bytes that are not UTF-8.
"""
from __future__ import annotations

import urllib.parse
from typing import NamedTuple

from flask import abort, request
from werkzeug.datastructures import MultiDict

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = ("this endpoint is read-only: SPARQL Update (update=, application/sparql-update, "
             "INSERT, DELETE, LOAD, CLEAR, ...) is refused")
UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")


class QueryRequest(NamedTuple):
    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    formats: tuple[str, ...]  # values of the ``format`` parameter, in order


def read_request(max_query_length: int) -> QueryRequest:
    """The query request in ``flask.request``, or an HTTP error saying what is wrong with it."""
    params, body_query = _params_and_body()
    if any(name in params for name in UPDATE_PARAMS):
        abort(400, READ_ONLY)
    queries = params.getlist("query") + ([body_query] if body_query is not None else [])
    if len(queries) > 1:
        abort(400, f"the request carries {len(queries)} queries; the protocol allows exactly one")
    query = queries[0] if queries else None
    if query is not None and len(query) > max_query_length:
        abort(413, f"the query has {len(query)} characters, over this endpoint's limit of "
                   f"{max_query_length} (--max-query-length)")
    return QueryRequest(query, tuple(params.getlist("default-graph-uri")),
                        tuple(params.getlist("named-graph-uri")), tuple(params.getlist("format")))


def _params_and_body() -> tuple[MultiDict, str | None]:
    """URL parameters (+ form fields) and, for a direct POST, the query in the body."""
    params = _decode(request.query_string, "URL")
    if request.method != "POST":
        return MultiDict(params), None
    media_type = request.mimetype
    if media_type == SPARQL_UPDATE:
        abort(400, READ_ONLY)
    if media_type not in (FORM, SPARQL_QUERY):
        abort(415, f"a POST must have Content-Type {FORM} or {SPARQL_QUERY}, "
                   f"not {media_type or 'none'}")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        abort(415, f"charset {charset} is not supported; send the request in UTF-8")
    body = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH: 413 raised by Werkzeug
    if media_type == FORM:
        return MultiDict(params + _decode(body, "form")), None
    return MultiDict(params), _utf8(body, "query body")


def _decode(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(_utf8(raw, f"{where} parameters"), keep_blank_values=True,
                                      encoding="utf-8", errors="strict", max_num_fields=100)
    except UnicodeDecodeError:
        abort(400, f"the {where} parameters are not valid percent-encoded UTF-8")
    except ValueError:
        abort(400, f"too many {where} parameters (at most 100)")


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        abort(400, f"the {what} is not valid UTF-8 (byte {e.start}); the protocol requires UTF-8")
