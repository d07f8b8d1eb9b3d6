"""A store that is somebody else's SPARQL endpoint: serve the graph from where ``aesc-kg push`` put it.

``aesc-kg serve --store sparql+http://host:7878/query`` (``sparql+https://`` too) answers every query
by sending it to a SPARQL 1.1 Protocol endpoint (https://www.w3.org/TR/sparql11-protocol/) that holds
the data: the pages, canned queries, limits and safety rules stay the same. :class:`RemoteStore` has
the surface of :class:`server.store.RdflibStore` and keeps the decisions local:

- the query is parsed and checked here first (:func:`server.safety.parse_query`: no update, and no
  SERVICE at all, since the remote store would make that call outside our time limit, row cap and
  redirect rule), so the remote store never sees a query we would refuse;
- the dataset is always sent explicitly: ``default-graph-uri`` and ``named-graph-uri`` list *our*
  graphs (those ``push`` writes), never the store's others, so the default graph is the union of our
  graphs on any store (Oxigraph, Fuseki, GraphDB, ...) without a union-default-graph setting; FROM /
  FROM NAMED and the protocol dataset select among our graphs only (an unknown graph is empty);
- canned-query parameters become an inline ``VALUES`` block at the start of the WHERE group, written
  from validated RDF terms with ``.n3()`` (escaped literals; an IRI that is not one raises), so they
  join exactly where rdflib's ``initBindings`` would and FILTERs see them; nothing is pasted as text;
- the call has its own timeout (below the worker's), a cap on the answer's size, and follows no
  redirect; the SPARQL JSON (or N-Triples) answer becomes an rdflib ``Result``.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from functools import cached_property

from rdflib import Graph, URIRef, Variable
from rdflib.query import Result

from server import federation, safety
from server.errors import QueryError

SCHEMES = ("sparql+http://", "sparql+https://")
NO_GRAPH = "urn:x-aesc-kg:no-such-graph"  # stands for "a graph that is not ours": always empty
_SKIP = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\""
                   r"|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\n\r]*", re.S)
_TOKEN = re.compile(r"[{}()]|[^\s{}()<>\"'#,;]+")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx stays an error: following it could leave the endpoint we were given


OPENER = urllib.request.build_opener(_NoRedirect)


def is_remote(name) -> bool:
    return isinstance(name, str) and name.startswith(SCHEMES)


class RemoteStore:
    """Our named graphs in a remote SPARQL 1.1 endpoint, queried over HTTP."""

    def __init__(self, endpoint: str, prefixes: dict | None = None, allow_service=(),
                 timeout: float = 10, max_bytes: int = 64 << 20, graphs=None):
        self.endpoint = endpoint.split("+", 1)[1] if is_remote(endpoint) else endpoint
        self.prefixes = dict(prefixes or {})
        self.allow_service = frozenset(allow_service)
        self.timeout, self.max_bytes = timeout, max_bytes
        self._candidates = tuple(graphs) if graphs else _our_graphs()
        safety.allow_store(self.endpoint)  # the query workers' guard lets exactly this URL through
        self._counts  # noqa: B018 - asked once, at start: a store without our graphs fails early

    def query(self, text: str, default_graph_uris=(), named_graph_uris=(),
              base: str | None = None, bindings=None) -> Result:
        """Check ``text`` here, run it there; :class:`QueryError` for bad input or a failed call."""
        prepared = safety.parse_query(text, self.prefixes, base, ())
        if federation.services(prepared.algebra):
            raise QueryError(403, "SERVICE is refused when serving from a remote store: the store "
                                  "would make the call outside this endpoint's limits")
        if not (default_graph_uris or named_graph_uris):
            clause = prepared.algebra.get("datasetClause") or ()
            default_graph_uris = [str(c.default) for c in clause if c.default is not None]
            named_graph_uris = [str(c.named) for c in clause if c.named is not None]
            if not clause:
                default_graph_uris = named_graph_uris = self.graph_iris
        sent = self._prologue(text, base) + with_values(text, bindings)
        if bindings:
            safety.parse_query(sent, self.prefixes, base, ())
        graph_form = prepared.algebra.name in ("ConstructQuery", "DescribeQuery")
        body = self._post(sent, self._ours(default_graph_uris), self._ours(named_graph_uris),
                          "application/n-triples" if graph_form else "application/sparql-results+json")
        if graph_form:
            result = Result("CONSTRUCT" if prepared.algebra.name == "ConstructQuery" else "DESCRIBE")
            result.graph = Graph().parse(data=body.decode("utf-8"), format="nt")
            return result
        return Result.parse(io.BytesIO(body), format="json")

    @property
    def graph_iris(self) -> list[str]:
        return [str(g) for g, _ in self._counts[1]]

    def graphs(self) -> dict[URIRef, int]:
        """Our named graphs in the store -> number of triples, sorted by IRI."""
        return dict(self._counts[1])

    def triples(self) -> int:
        return self._counts[0]

    def void(self) -> Graph:
        from server.describe import void_of
        return void_of(self)

    @cached_property
    def etag(self) -> str:
        """The endpoint and the counts seen at start: the data is taken as fixed while served."""
        key = json.dumps([self.endpoint, self._counts[0], [[str(g), n] for g, n in self._counts[1]]])
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    @cached_property
    def _counts(self) -> tuple[int, tuple]:
        values = " ".join(f"<{g}>" for g in self._candidates)
        rows = self._select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", (), self._candidates)
        found = {URIRef(r["g"]["value"]): int(r["n"]["value"]) for r in rows}
        split = [g for g in self._candidates[:-1] if found.get(URIRef(g))]
        chosen = split or [g for g in self._candidates[-1:] if found.get(URIRef(g))]
        if not chosen:
            raise RuntimeError(f"the store at {self.endpoint} holds none of our graphs "
                               f"({', '.join(self._candidates)}); run `aesc-kg push` first")
        total = self._select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
                             "{ ?s ?p ?o } }", chosen, ())
        named = tuple(sorted((URIRef(g), found[URIRef(g)]) for g in chosen))
        return int(total[0]["n"]["value"]), named

    def _select(self, text: str, default, named) -> list[dict]:
        body = self._post(text, list(default), list(named), "application/sparql-results+json")
        return json.loads(body)["results"]["bindings"]

    def _ours(self, graphs) -> list[str]:
        """The requested graphs, any that is not ours replaced by a graph that is always empty."""
        mine = set(self.graph_iris) | set(map(str, self._candidates))
        return list(dict.fromkeys(g if g in mine else NO_GRAPH for g in map(str, graphs)))

    def _prologue(self, text: str, base: str | None) -> str:
        """BASE and the project's prefixes, which the local parse allowed the query to omit."""
        declared = {m.lower() for m in re.findall(r"(?i)\bprefix\s+([\w.-]*):", _SKIP.sub(" ", text))}
        lines = [f"PREFIX {p}: <{ns}>" for p, ns in sorted(self.prefixes.items()) if p.lower() not in declared]
        if base:
            lines.insert(0, f"BASE <{base}>")
        return "\n".join(lines) + "\n" if lines else ""

    def _post(self, text: str, default, named, accept: str) -> bytes:
        form = [("query", text)] + [("default-graph-uri", g) for g in default] + \
               [("named-graph-uri", g) for g in named]
        request = urllib.request.Request(self.endpoint, data=urllib.parse.urlencode(form).encode(),
                                         headers={"Accept": accept, "User-Agent": "aesc-kg",
                                                  "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with OPENER.open(request, timeout=self.timeout) as response:
                body = response.read(self.max_bytes + 1)
        except urllib.error.HTTPError as e:
            excerpt = e.read(500).decode("utf-8", "replace").strip()
            status = 400 if e.code == 400 else 502
            raise QueryError(status, f"the remote store answered HTTP {e.code}: {excerpt}") from None
        except TimeoutError:
            raise QueryError(504, f"the remote store did not answer within {self.timeout:g} s") from None
        except (urllib.error.URLError, OSError) as e:
            raise QueryError(502, f"the remote store at {self.endpoint} cannot be reached: "
                                  f"{getattr(e, 'reason', e)}") from None
        if len(body) > self.max_bytes:
            raise QueryError(422, f"the answer is larger than {self.max_bytes} bytes; add a LIMIT")
        return body


def with_values(text: str, bindings) -> str:
    """``text`` with ``VALUES (?a ...) { (term ...) }`` opening its WHERE group."""
    if not bindings:
        return text
    names, terms = [], []
    for name, term in sorted(bindings.items(), key=lambda item: str(item[0])):
        if not _NAME.match(str(name)):
            raise QueryError(400, f"not a variable name: {str(name)!r}")
        names.append(Variable(str(name)).n3())
        try:
            terms.append(term.n3())  # rdflib refuses to write an IRI that is not one
        except Exception as e:  # noqa: BLE001 - rdflib raises a bare Exception here
            raise QueryError(400, f"parameter {name}: {e}") from None
    at = _where_group(text)
    return f"{text[:at]} VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}{text[at:]}"


def _where_group(text: str) -> int:
    """The offset just after the ``{`` that opens the query's WHERE group."""
    code = _SKIP.sub(lambda m: " " * len(m.group()), text)  # same offsets, no strings or comments
    depth, after_where, first = 0, False, None
    for match in _TOKEN.finditer(code):
        token = match.group()
        if token in "{(":
            if token == "{" and depth == 0 and (after_where or first is None):
                if after_where:
                    return match.end()
                first = match.end()
            depth += 1
        elif token in "})":
            depth -= 1
        elif depth == 0 and token.upper() == "WHERE":
            after_where = True
    if first is None:
        raise QueryError(400, "cannot bind parameters: the query has no WHERE group")
    return first  # SELECT / ASK without the WHERE keyword


def _our_graphs() -> tuple[str, ...]:
    """The graphs ``push`` writes: the three named graphs, or (last) the union of a plain push."""
    from graph.iris import GRAPHS
    from graph.push import UNION_GRAPH
    return (*map(str, GRAPHS), str(UNION_GRAPH))


def open_remote(config, prefixes, allowed) -> RemoteStore:
    """The store for ``STORE = "sparql+http://..."``: its calls end before the worker's limit."""
    limit = float(config.get("QUERY_TIMEOUT") or 10)
    return RemoteStore(config["STORE"], prefixes, allowed, timeout=max(limit * 0.9, limit - 1))
