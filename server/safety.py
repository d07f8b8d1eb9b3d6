"""Read-only and no outbound requests: what a query may do to the world outside the dataset.

rdflib "is designed to access arbitrary network and file resources" (its Security Considerations
page): it fetches the IRIs named in FROM / FROM NAMED (RDFLib/rdflib#810) and calls any SERVICE
endpoint (SPARQL 1.1 Federated Query, https://www.w3.org/TR/sparql11-federated-query/), which turns a
public endpoint into an SSRF proxy. Three layers keep every request local:

1. ``SPARQL_LOAD_GRAPHS = False``: FROM / FROM NAMED only select local graphs (unknown -> empty);
2. :func:`parse_query` refuses SERVICE unless the operator allow-listed that exact endpoint IRI;
3. :func:`guard_process` installs an audit hook (PEP 578) in each query worker that refuses sockets,
   DNS look-ups and URL opens not aimed at an allow-listed endpoint: defence in depth, should
   layer 2 ever be bypassed (e.g. the greedy SERVICE regex of RDFLib/rdflib#2988). It sees only
   Python's own network calls: the Oxigraph store would call SERVICE from Rust, below it, which is
   why that store runs layer 2 on every query (see :mod:`server.oxigraph_store`).
SPARQL Update (and so LOAD) is not parsed at all: the endpoint parses queries only.
"""
from __future__ import annotations

import sys
import urllib.parse

import rdflib.plugins.sparql
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib import Variable
from rdflib.plugins.sparql.processor import prepareQuery

from server import federation
from server.errors import QueryError

rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

_NET_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
               "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto",
               "socket.sendmsg", "urllib.Request", "http.client.connect"}


def parse_query(text: str, prefixes: dict, base: str | None, allowed_services=frozenset(),
                runtime_services: bool = False):
    """Parse and translate a query; 400 with the parser's message, 403 for a SERVICE whose
    endpoint IRI is not exactly one of ``allowed_services``. ``runtime_services``: the caller
    evaluates with rdflib, whose SERVICE evaluation (server.federation) checks ``SERVICE ?var``
    once bound; other engines must leave it False (a variable endpoint is then refused here)."""
    try:
        prepared = prepareQuery(text, initNs=prefixes, base=base)
    except ParseBaseException as e:
        raise QueryError(400, _why_unparsable(text, e)) from None
    except RecursionError:
        raise QueryError(400, "query nested too deeply for the parser") from None
    except Exception as e:  # noqa: BLE001 - see below
        # rdflib's translator signals input errors (unknown prefix, bad projection) with a
        # bare Exception; anything more specific is a bug in our code or rdflib: a 500.
        if type(e) is not Exception:
            raise
        raise QueryError(400, f"invalid query: {e}") from None
    traverse(prepared.algebra, visitPre=lambda node: _refuse_service(node, allowed_services, runtime_services))
    federation.stamp(prepared.algebra, allowed_services)  # the policy the SERVICE evaluation obeys
    return prepared


def _why_unparsable(text: str, error: ParseBaseException) -> str:
    """The parser's message, or a clearer one when the text is a SPARQL Update."""
    try:
        parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return f"malformed query: {error}"
    return "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is refused"


def _refuse_service(node, allowed_services, runtime_services=False) -> None:
    if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
        endpoint = str(node.term)
        if isinstance(node.term, Variable) and runtime_services:
            return  # SERVICE ?endpoint: checked against the allow-list once bound (server.federation)
        if endpoint not in allowed_services:
            raise QueryError(403, f"SERVICE <{endpoint}> refused: federated queries are off "
                                  "unless the operator allow-lists the endpoint (--allow-service)")


_STORE_ENDPOINTS: set[str] = set()  # a remote store's endpoint (server.remote_store): not a SERVICE


def allow_store(url: str) -> None:
    """Let the query workers reach the remote store's endpoint (set before they are forked)."""
    _STORE_ENDPOINTS.add(url)


def guard_process(allowed_services=()) -> None:
    """Refuse, in this process and for good, every network access not aimed at an allowed SERVICE
    (or at the remote store the endpoint serves from)."""
    allowed_services = tuple(allowed_services) + tuple(sorted(_STORE_ENDPOINTS))
    hosts = {urllib.parse.urlsplit(u).hostname for u in allowed_services}

    def hook(event: str, args: tuple) -> None:
        if event not in _NET_EVENTS:
            return
        if event == "urllib.Request" and _is_allowed(str(args[0]), allowed_services):
            return
        if event in ("socket.getaddrinfo", "socket.gethostbyname") and args[0] in hosts:
            return
        if event in ("socket.connect", "http.client.connect") and hosts:
            return  # reachable only after the URL and the host name passed the checks above
        raise PermissionError(f"outbound network access refused by the endpoint ({event})")

    sys.addaudithook(hook)


def _is_allowed(url: str, allowed_services) -> bool:
    # rdflib calls the endpoint itself (POST) or the endpoint plus "?query=..." (GET).
    return any(url == u or url.startswith(u + "?") for u in allowed_services)
