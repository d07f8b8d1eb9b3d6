"""Publish the built dataset into an existing store: ``aesc-kg push URL``.

Any store that speaks the SPARQL 1.1 Graph Store HTTP Protocol
(https://www.w3.org/TR/sparql11-http-rdf-update/) will do: Oxigraph (``http://host:7878/store``),
Fuseki (``http://host:3030/DATASET/data``), GraphDB (``.../repositories/REPO/rdf-graphs/service``),
Virtuoso (``http://host:8890/sparql-graph-crud``), QLever. Each graph we own is sent with one
``PUT URL?graph=<iri>`` (N-Triples), which replaces that graph and touches nothing else; then each
is read back with ``GET URL?graph=<iri>`` and compared with the build, triple for triple (or, with
``query_url``, counted with ``SELECT (COUNT(*) ...)`` on the store's query endpoint, for stores too
big to read back). PUT is idempotent, so a push that failed part-way is repaired by running it again;
the error says which graphs were written. Only the standard library is used (``urllib``).
"""
from __future__ import annotations

import base64
import datetime
import json
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef

from .iris import BASE, GRAPHS

UNION_GRAPH = URIRef(BASE + "graph/all")  # where the whole dataset goes without --graph-per-named-graph
RDF_TYPES = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle",
             "application/rdf+xml": "xml", "application/ld+json": "json-ld",
             "application/n-quads": "nquads", "application/trig": "trig"}


class PushError(RuntimeError):
    """A push that failed: the message names the HTTP status, the body and what was written."""


@dataclass
class PushReport:
    url: str
    written: dict[str, int] = field(default_factory=dict)   # graph IRI -> triples sent
    verified: dict[str, int] = field(default_factory=dict)  # graph IRI -> triples found after

    def summary(self) -> str:
        total = sum(self.written.values())
        return f"pushed {len(self.written)} graph(s), {total} triples, to {self.url}; verified"


def plan(dataset: Dataset, graph_per_named_graph: bool, target: str | None = None) -> list[tuple[URIRef, Graph]]:
    """(graph IRI, graph) pairs to PUT: each named graph, or their union in one graph."""
    if graph_per_named_graph:
        return [(iri, dataset.graph(iri)) for iri in GRAPHS]
    union = Graph()
    for iri in GRAPHS:
        union += dataset.graph(iri)
    return [(URIRef(target or UNION_GRAPH), union)]


def push(dataset: Dataset, url: str, *, graph_per_named_graph: bool = False, target: str | None = None,
         auth: str | None = None, token: str | None = None, query_url: str | None = None,
         timeout: float = 60, say=lambda line: None) -> PushReport:
    """PUT the dataset's graphs to the Graph Store at ``url`` and verify them; :class:`PushError`."""
    headers = _auth_headers(auth, token)
    report = PushReport(url)
    graphs = plan(dataset, graph_per_named_graph, target)
    for iri, graph in graphs:
        body = "".join(sorted(graph.serialize(format="nt").splitlines(keepends=True))).encode("utf-8")
        try:
            status, _, _ = _request("PUT", _graph_url(url, iri), body, {
                **headers, "Content-Type": "application/n-triples"}, timeout)
        except PushError as err:
            raise PushError(f"{err}\n{_progress(report, graphs)}") from None
        report.written[str(iri)] = len(graph)
        say(f"PUT <{iri}>: {len(graph)} triples (HTTP {status})")
    for iri, graph in graphs:
        found = _verify(url, iri, graph, headers, query_url, timeout)
        report.verified[str(iri)] = found
        say(f"verified <{iri}>: {found} triples in the store")
    return report


def _verify(url, iri, graph, headers, query_url, timeout) -> int:
    """Read the graph back (or count it) and raise :class:`PushError` on any difference."""
    if query_url:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        status, body, _ = _request("POST", query_url, urllib.parse.urlencode({"query": query}).encode(), {
            **headers, "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json"}, timeout)
        found = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
        if found != len(graph):
            raise PushError(f"verification failed: <{iri}> holds {found} triples, we sent {len(graph)}")
        return found
    status, body, media_type = _request("GET", _graph_url(url, iri), None, {
        **headers, "Accept": "application/n-triples, text/turtle;q=0.9, */*;q=0.1"}, timeout)
    stored = Graph().parse(data=body.decode("utf-8"), format=RDF_TYPES.get(media_type, "nt"))
    ours, theirs = {same_value(t) for t in graph}, {same_value(t) for t in stored}
    missing, extra = len(ours - theirs), len(theirs - ours)
    if missing or extra:
        raise PushError(f"verification failed: <{iri}> in the store lacks {missing} triple(s) of the "
                        f"build and has {extra} other(s); run the push again")
    return len(stored)


def same_value(triple) -> tuple:
    """A comparison key: typed literals by datatype and value, since stores may rewrite lexical
    forms (Oxigraph stores ``9.0``^^xsd:decimal as its canonical form ``9``: the same value)."""
    return tuple((term.datatype, _canonical(term.value)) if isinstance(term, Literal) and term.datatype
                 and isinstance(term.value, _VALUES) else term for term in triple)


_VALUES = (int, float, Decimal, datetime.date, datetime.time)  # datetime is a date


def _canonical(value):
    return value.normalize() if isinstance(value, Decimal) else value


def _request(method: str, url: str, body, headers: dict, timeout: float) -> tuple[int, bytes, str]:
    """One HTTP exchange; every failure becomes a :class:`PushError` naming status and body."""
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            media_type = response.headers.get_content_type()
            return response.status, response.read(), media_type
    except urllib.error.HTTPError as err:
        excerpt = err.read(300).decode("utf-8", "replace").strip()
        raise PushError(f"{method} {url}: HTTP {err.code} {err.reason}{_hint(err.code)}"
                        + (f": {excerpt}" if excerpt else "")) from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise PushError(f"{method} {url}: cannot reach the store ({reason}); is it running, "
                        "and is the URL its Graph Store endpoint?") from None


def _hint(status: int) -> str:
    if status in (401, 403):
        return " (authentication failed: give --auth USER:PASSWORD or --token TOKEN)"
    if status in (404, 405):
        return (" (not a Graph Store endpoint? Oxigraph: http://HOST:7878/store, Fuseki: "
                "http://HOST:3030/DATASET/data, GraphDB: .../repositories/REPO/rdf-graphs/service)")
    return ""


def _progress(report: PushReport, graphs) -> str:
    done = ", ".join(f"<{iri}> ({n} triples)" for iri, n in report.written.items()) or "nothing"
    left = ", ".join(f"<{iri}>" for iri, _ in graphs if str(iri) not in report.written)
    return (f"written: {done}; not written: {left}. PUT replaces whole graphs, so running the "
            "same push again is safe.")


def _graph_url(url: str, iri) -> str:
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}{urllib.parse.urlencode({'graph': str(iri)})}"


def _auth_headers(auth: str | None, token: str | None) -> dict:
    if auth and token:
        raise PushError("give --auth or --token, not both")
    if auth:
        if ":" not in auth:
            raise PushError("--auth must be USER:PASSWORD")
        return {"Authorization": "Basic " + base64.b64encode(auth.encode("utf-8")).decode("ascii")}
    if token:
        return {"Authorization": f"Bearer {token}"}
    return {}


def add_push_command(sub) -> None:
    """Register ``aesc-kg push`` on the CLI's subparsers."""
    from pathlib import Path
    p = sub.add_parser("push", help="load the dataset into a store over the SPARQL Graph Store Protocol",
                       description="PUT each graph we own to a Graph Store endpoint (replacing those "
                                   "graphs and nothing else), then verify the store's copy.")
    p.add_argument("url", help="the store's Graph Store endpoint, e.g. http://127.0.0.1:7878/store")
    p.add_argument("--graph-per-named-graph", action="store_true",
                   help="one graph per named graph (ontology, asserted, inferred) instead of their "
                        f"union in one graph (default <{UNION_GRAPH}>)")
    p.add_argument("--graph", dest="target", metavar="IRI", help="the graph IRI for the union")
    p.add_argument("--auth", metavar="USER:PASSWORD", help="HTTP basic authentication")
    p.add_argument("--token", help="a bearer token (Authorization: Bearer ...)")
    p.add_argument("--query-url", metavar="URL", help="verify by SPARQL COUNT on this query endpoint "
                   "instead of reading each graph back")
    p.add_argument("--timeout", type=float, default=60, help="seconds per HTTP request (default 60)")
    p.add_argument("--data", type=Path, help="a folder written by 'aesc-kg build' (default: build in memory)")
    p.set_defaults(handler=cmd_push)


def cmd_push(args) -> int:
    import sys
    from .build import build
    from .load import load_dump
    dataset = load_dump(args.data) if args.data else build()
    try:
        report = push(dataset, args.url, graph_per_named_graph=args.graph_per_named_graph,
                      target=args.target, auth=args.auth, token=args.token,
                      query_url=args.query_url, timeout=args.timeout, say=print)
    except PushError as err:
        print(f"aesc-kg push: {err}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0
