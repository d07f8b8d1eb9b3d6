"""SERVICE, safe by default: federated queries only to allow-listed endpoints, with limits.

SPARQL 1.1 Federated Query (https://www.w3.org/TR/sparql11-federated-query/) lets a query call
another endpoint. rdflib's own SERVICE evaluation calls ``urlopen`` with no timeout, no size cap,
following redirects (to any host), and finds the SERVICE text with a regex over the whole query
(RDFLib/rdflib#2988). This module replaces it with a custom evaluation (rdflib's ``CUSTOM_EVALS``
hook, consulted before its own) that:

- runs only SERVICE nodes that :func:`server.safety.parse_query` checked and stamped with a
  :class:`ServicePolicy` (an unstamped one is refused: nothing bypasses the check);
- resolves ``SERVICE ?var`` at run time (a canned query's ``endpoint`` parameter) and calls the
  endpoint only if its IRI is exactly allow-listed (403 otherwise);
- POSTs ``SELECT REDUCED * WHERE { VALUES ... pattern }``, the current bindings opening the
  group (so an OPTIONAL in the pattern sees them, unlike rdflib's trailing VALUES), with its own timeout
  (``SERVICE_TIMEOUT``), a byte cap and a row cap (``SERVICE_MAX_ROWS``), and follows no redirect;
- honours ``SILENT``: a failed or refused call gives one empty solution, so a canned query with
  ``SERVICE SILENT ?endpoint`` still answers its local part where nothing is allow-listed.
The worker's audit hook (server.safety.guard_process) still stands behind it.
"""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import NamedTuple

from rdflib import Variable
from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.evaluate import _yieldBindingsFromServiceCallResult
from rdflib.plugins.sparql.parserutils import CompValue

from server.errors import QueryError

SERVICE_TIMEOUT = 5.0       # seconds one SERVICE call may take
SERVICE_MAX_ROWS = 10_000   # rows one SERVICE call may return; more is an error, never a silent cut
SERVICE_MAX_BYTES = 16 << 20
_INNER = re.compile(r"^\s*SERVICE\s+(?:SILENT\s+)?(?:<[^>]*>|[?$]\w+)\s*\{(.*)\}\s*$", re.S | re.I)


class ServicePolicy(NamedTuple):
    allowed: frozenset
    timeout: float = SERVICE_TIMEOUT
    max_rows: int = SERVICE_MAX_ROWS
    max_bytes: int = SERVICE_MAX_BYTES


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect could lead to a host nobody allow-listed


OPENER = urllib.request.build_opener(_NoRedirect)


def services(algebra) -> list:
    """The SERVICE nodes of a query's algebra."""
    from rdflib.plugins.sparql.algebra import traverse
    nodes = []
    traverse(algebra, visitPre=lambda n: nodes.append(n) if isinstance(n, CompValue)
             and n.name == "ServiceGraphPattern" else None)
    return nodes


def stamp(algebra, allowed) -> None:
    """Give every SERVICE node of a checked query its policy; at most one SERVICE clause, since
    rdflib records the text of the first one for all (parserutils ``service_string``)."""
    nodes = services(algebra)
    if len({id(n) for n in nodes}) > 1:
        raise QueryError(400, "at most one SERVICE clause per query on this endpoint")
    for node in nodes:
        node["_policy"] = ServicePolicy(frozenset(allowed), SERVICE_TIMEOUT, SERVICE_MAX_ROWS, SERVICE_MAX_BYTES)


def evaluate(ctx, part):
    """rdflib custom evaluation: SERVICE under our policy; any other part is rdflib's."""
    if part.name != "ServiceGraphPattern":
        raise NotImplementedError
    if "_policy" not in part and isinstance(part.term, Variable):
        raise NotImplementedError  # not a checked query (graph/ code, tests): rdflib calls nothing for ?var
    return _evaluate(ctx, part)


def _evaluate(ctx, part):
    policy = dict.get(part, "_policy")  # CompValue.get returns the key itself when missing
    endpoint = ctx[part.term] if isinstance(part.term, Variable) else part.term
    try:
        if policy is None or endpoint is None or str(endpoint) not in policy.allowed:
            raise QueryError(403, f"SERVICE <{endpoint}> refused: federated queries are off unless "
                                  "the operator allow-lists the endpoint (--allow-service)")
        match = _INNER.match(dict.get(part, "service_string") or "")
        if match is None:
            raise QueryError(400, "cannot read the SERVICE pattern")
        rows, names = _call(str(endpoint), _service_query(ctx, match.group(1)), policy)
    except QueryError:
        if dict.get(part, "silent"):
            yield ctx.solution()  # SERVICE SILENT: a failure is one empty solution
            return
        raise
    for row in rows:
        yield from _yieldBindingsFromServiceCallResult(ctx, row, names)


def _service_query(ctx, inner: str) -> str:
    """The remote query: the prologue, the pattern, and the bindings it can use as VALUES."""
    prologue = ctx.prologue
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in prologue.namespace_manager.namespaces()]
    if prologue.base:
        lines.insert(0, f"BASE <{prologue.base}>")
    mentioned = set(re.findall(r"[?$](\w+)", inner))
    bound = [(v, ctx[v]) for v in sorted(ctx.solution()) if isinstance(v, Variable) and str(v) in mentioned]
    values = ""
    if bound:  # inside the group, first: OPTIONAL and FILTER then see them (a bind join)
        values = (f" VALUES ({' '.join(v.n3() for v, _ in bound)}) "
                  f"{{ ({' '.join(term.n3() for _, term in bound)}) }}")
    return "\n".join(lines) + "\nSELECT REDUCED * WHERE {" + values + inner + "}"


def _call(endpoint: str, query: str, policy: ServicePolicy) -> tuple[list, list]:
    request = urllib.request.Request(endpoint, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/sparql-results+json",
                                              "Content-Type": "application/x-www-form-urlencoded",
                                              "User-Agent": "aesc-kg"})
    try:
        with OPENER.open(request, timeout=policy.timeout) as response:
            body = response.read(policy.max_bytes + 1)
    except urllib.error.HTTPError as e:
        if 300 <= e.code < 400:
            raise QueryError(502, f"SERVICE <{endpoint}> answered a redirect ({e.code} to "
                                  f"{e.headers.get('Location')}); redirects are not followed") from None
        raise QueryError(502, f"SERVICE <{endpoint}> answered HTTP {e.code}") from None
    except TimeoutError:
        raise QueryError(504, f"SERVICE <{endpoint}> did not answer within {policy.timeout:g} s") from None
    except (urllib.error.URLError, OSError) as e:
        raise QueryError(502, f"SERVICE <{endpoint}> failed: {getattr(e, 'reason', e)}") from None
    if len(body) > policy.max_bytes:
        raise QueryError(422, f"SERVICE <{endpoint}> sent more than {policy.max_bytes} bytes")
    try:
        document = json.loads(body)
        rows, names = document["results"]["bindings"], document["head"]["vars"]
    except (ValueError, KeyError, TypeError):
        raise QueryError(502, f"SERVICE <{endpoint}> did not answer SPARQL JSON results") from None
    if len(rows) > policy.max_rows:
        raise QueryError(422, f"SERVICE <{endpoint}> returned more than {policy.max_rows} rows")
    return rows, names


CUSTOM_EVALS["aesc-kg-service"] = evaluate
