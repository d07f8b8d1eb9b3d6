"""Blueprint ``sparql``: the SPARQL 1.1 Protocol query operation, read-only.

https://www.w3.org/TR/sparql11-protocol/ : ``/sparql`` answers queries (GET, POST url-encoded,
POST ``application/sparql-query``) in the negotiated format; without a query, a GET returns the
Service Description. ``/.well-known/void`` serves the VoID description. Every answer carries a weak
ETag (dataset hash + request), so a repeated request is a cheap 304.
"""
from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, current_app, request, url_for

from server import cache
from server.describe import service_description, void_description
from server.errors import QueryError
from server.execute import Job, content_type
from server.kg import get_pool, get_store
from server.negotiate import choose, negotiate, supported
from server.protocol import read_request
from server.results import serialize_graph

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    seen = cache.seen()  # the very same GET answered before: its bytes, no parsing or negotiation
    if seen is not None:
        body, content_type_, etag = seen
        if request.if_none_match.contains_weak(etag):
            return _cached(Response(status=304), etag)
        return _cached(Response(body, content_type=content_type_), etag)
    req = read_request(current_app.config["MAX_QUERY_LENGTH"])
    if req.query is None:
        if request.method == "GET":
            return describe_service()
        abort(400, "missing 'query': send it as query=, or as an application/sparql-query body")
    formats = negotiate(request.accept_mimetypes, req.formats)
    if not any(formats.values()):
        abort(406, f"nothing acceptable in Accept: {request.headers.get('Accept')}; supported: "
                   f"{supported('results')} for SELECT/ASK, {supported('graph')} for CONSTRUCT/DESCRIBE")
    job = Job(req.query, req.default_graphs, req.named_graphs, formats, base=request.base_url,
              max_rows=int(current_app.config["MAX_ROWS"]))
    if not cache.deterministic(req.query):  # NOW(), RAND(), SERVICE...: a fresh answer every time
        answer = get_pool().run(job)
        if answer.status != 200:
            raise QueryError(answer.status, answer.body.decode("utf-8"))
        response = Response(answer.body, content_type=answer.content_type)
        response.cache_control.no_store = True
        return response
    etag = _etag(repr(job))
    if request.if_none_match.contains_weak(etag):
        return _cached(Response(status=304), etag)
    answer = cache.run(job, get_pool())  # a repeated request is answered here, in this process
    if answer.status != 200:
        raise QueryError(answer.status, answer.body.decode("utf-8"))
    cache.see(answer, etag)
    return _cached(Response(answer.body, content_type=answer.content_type), etag)


def describe_service():
    endpoint = url_for("sparql.endpoint", _external=True)
    graph = service_description(get_store(), endpoint, url_for("sparql.void", _external=True),
                                federation=bool(current_app.config["ALLOW_SERVICE"]))
    return _rdf_response(graph, "service description", endpoint)


@bp.route("/.well-known/void")
def void():
    endpoint = url_for("sparql.endpoint", _external=True)
    return _rdf_response(void_description(get_store(), endpoint), "VoID description", endpoint)


def _rdf_response(graph, what: str, key: str) -> Response:
    fmt = choose("graph", request.accept_mimetypes)
    if fmt is None:
        abort(406, f"the {what} is RDF; supported: {supported('graph')}")
    etag = _etag(f"{what} {key} {fmt.name}")
    if request.if_none_match.contains_weak(etag):
        return _cached(Response(status=304), etag)
    if fmt.kind == "dataset":  # TriG / N-Quads: the description is the default graph
        body = serialize_graph(graph, fmt, len(graph))
    else:
        body = graph.serialize(format=fmt.rdflib, encoding="utf-8")
    return _cached(Response(body, content_type=content_type(fmt)), etag)


def _etag(key: str) -> str:
    return hashlib.sha256(f"{get_store().etag}\0{key}".encode()).hexdigest()[:32]


def _cached(response: Response, etag: str) -> Response:
    """Validators and freshness: the dataset is immutable while served."""
    response.set_etag(etag, weak=True)
    response.cache_control.public = True
    response.cache_control.max_age = int(current_app.config["CACHE_MAX_AGE"])
    response.vary.add("Accept")
    return response
