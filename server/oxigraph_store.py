"""A store made for size and speed: pyoxigraph (https://pyoxigraph.readthedocs.io/) in process.

:class:`OxigraphStore` has the surface of :class:`server.store.RdflibStore` (``query``, ``graphs``,
``triples``, ``void``, ``etag``) over an in-memory ``pyoxigraph.Store`` holding the named graphs;
queries see their union as the default graph. Its answers are :class:`OxigraphResult`, an rdflib
``Result`` whose rows are converted only when someone iterates them (the HTML pages); the endpoint
instead calls :meth:`OxigraphResult.serialize_native`, so Oxigraph writes the SPARQL JSON / XML /
CSV / TSV or RDF bytes itself and no Python term is ever made.

The safety rules stay those of :mod:`server.safety`, with one difference that matters: Oxigraph
calls SERVICE endpoints from Rust, below the audit hook of the query workers. So every query is
parsed by rdflib first (once per text: the check is cached), which refuses a SERVICE not
allow-listed (403) and reads FROM / FROM NAMED, passed to Oxigraph as an explicit dataset
(Oxigraph's union default graph would otherwise ignore FROM). An earlier version skipped that
parse when a regex found no ``service`` word in the text; an escaped prefixed name (``ex:a\\#b``)
fooled it, so the regex now only serves to tell the query form. Queries still run in the forked
workers, under the same time limit, and the row limit is checked on the serialised answer.
"""
from __future__ import annotations

import hashlib
import re
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.query import Result
from rdflib.term import Variable

from graph.terms import to_oxigraph, to_rdflib
from server import cache, safety
from server.errors import QueryError
from server.store import Counted
from server.results import _too_large

RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML,
               "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# Strings, IRIs, comments, variables: what may hold the words "service" or "from" without being keywords.
_NOT_CODE = re.compile(r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''|\"\"\"(?:(?:\"|\"\")?(?:[^\"\\]|\\.))*\"\"\""
                       r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\"|<[^<>\"{}|^`\\\x00-\x20]*>"
                       r"|#[^\n\r]*|(?<![\w:>)\]])[?$]\w+", re.S)  # a ?var (not a path's ?) is no keyword
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FORM = re.compile(r"(?i)\b(select|construct|describe|ask)\b")
_WHERE, _OPEN = re.compile(r"(?i)\bwhere\s*\{"), re.compile(r"\{")
_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class OxigraphStore(Counted):
    """An in-memory pyoxigraph store of named graphs, their union the default graph."""

    def __init__(self, store: ox.Store, prefixes: dict | None = None, describe=None,
                 allow_service=(), etag: str | None = None):
        self.store = store
        self.prefixes = {k: str(v) for k, v in (prefixes or {}).items()}
        self._rdflib_prefixes = dict(prefixes or {})
        self._describe = describe  # () -> VoID Graph, when the caller has a richer one
        self.allow_service = frozenset(allow_service)
        self._etag = etag
        self._counts  # noqa: B018 - counted now, before any fork (a lock held at fork would stay held)

    @classmethod
    def from_dataset(cls, dataset, prefixes=None, describe=None, allow_service=()):
        """Copy an rdflib ``Dataset`` (its named graphs) into a new in-memory Oxigraph store."""
        store = ox.Store()
        nquads = dataset.serialize(format="nquads", encoding="utf-8")
        store.bulk_load(nquads, ox.RdfFormat.N_QUADS)
        void = (lambda: describe(dataset)) if describe is not None else None
        return cls(store, prefixes, void, allow_service)

    @classmethod
    def from_dump(cls, path: Path, prefixes=None, allow_service=()):
        """Load an N-Quads dump (``DIR/dataset.nq``) straight into Oxigraph, no rdflib on the way."""
        store = ox.Store()
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        return cls(store, prefixes, None, allow_service, etag=digest.hexdigest()[:32])

    def query(self, text: str, default_graph_uris=(), named_graph_uris=(),
              base: str | None = None, bindings=None) -> "OxigraphResult":
        """Check and evaluate one SPARQL query; :class:`QueryError` for bad input."""
        options = {"base_iri": base, "prefixes": self.prefixes}
        code = _NOT_CODE.sub(" ", _ESCAPE.sub(_unescape, text))
        # Every query passes rdflib's parser and the SERVICE allow-list first: Oxigraph would make
        # a SERVICE call from Rust, below the workers' network guard, and no regex over the text
        # can be trusted to find every spelling of the keyword. Checked once per text and base.
        key = ("checked", text, base, self.allow_service, id(self._rdflib_prefixes))
        from_default, from_named = cache.parsed(key, lambda: _checked(text, base, self._rdflib_prefixes,
                                                                      self.allow_service))
        if not (default_graph_uris or named_graph_uris) and (from_default or from_named):
            default_graph_uris, named_graph_uris = from_default, from_named
        if default_graph_uris or named_graph_uris:  # Protocol 2.1.4: exactly these graphs
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph_uris]
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graph_uris]
        else:
            options["use_default_graph_as_union"] = True
        if bindings:
            text = bind_inline(text, bindings, _FORM.search(code))
        try:
            native = self.store.query(text, **options)
        except SyntaxError as e:
            raise QueryError(400, _why_unparsable(text, e)) from None
        except ValueError as e:  # a bad protocol graph IRI, a bad base
            raise QueryError(400, f"invalid query: {e}") from None
        return OxigraphResult(native, _kind(native, code), self.prefixes)

    def describe_with(self, describe) -> None:
        """Use ``describe()`` (-> VoID Graph) for :meth:`void` instead of the minimal description."""
        self._describe = describe

    @cached_property
    def _counts(self) -> tuple[int, tuple]:
        union = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        total = int(next(iter(self.store.query(union, use_default_graph_as_union=True)))[0].value)
        per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        named = sorted((URIRef(r[0].value), int(r[1].value)) for r in self.store.query(per_graph))
        return total, tuple((g, n) for g, n in named if n)

    @cached_property
    def _void(self) -> Graph:
        if self._describe is not None:
            return self._describe()
        from server.describe import void_of
        return void_of(self)

    @property
    def etag(self) -> str:
        """A content hash, stable for the life of the process (the dataset never changes)."""
        if self._etag is None:
            dump = self.store.dump(format=ox.RdfFormat.N_QUADS)
            self._etag = hashlib.sha256(b"\n".join(sorted(dump.splitlines()))).hexdigest()[:32]
        return self._etag


class OxigraphResult(Result):
    """An Oxigraph answer: serialised natively by the endpoint, or iterated as rdflib terms."""

    def __init__(self, native, type_: str, prefixes: dict):
        super().__init__(type_)
        self.native, self.prefixes = native, prefixes
        if type_ == "SELECT":
            self.vars = [Variable(v.value) for v in native.variables]
            self.bindings = self._rows()  # a generator: rdflib converts rows only when iterated
        elif type_ == "ASK":
            self.askAnswer = bool(native)

    def serialize_native(self, fmt, max_rows: int) -> bytes:
        """The answer as bytes in ``fmt`` (a row of graph/formats.py); 422 over ``max_rows``."""
        if self.type in ("CONSTRUCT", "DESCRIBE"):
            triples = list(dict.fromkeys(_limited(self.native, max_rows, "triples")))
            if fmt.kind == "dataset":
                triples = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
            return ox.serialize(triples, format=RDF_FORMATS[fmt.name], prefixes=self.prefixes)
        if self.type == "ASK":
            from server.results import ASK_VAR
            answer = "true" if self.askAnswer else "false"
            if fmt.name in ("csv", "tsv"):  # no boolean form: the same one-cell table as rdflib's
                return (f"{ASK_VAR}\r\n{answer}\r\n" if fmt.name == "csv" else f"?{ASK_VAR}\n{answer}\n").encode()
            return self.native.serialize(format=RESULTS[fmt.name])
        body = self.native.serialize(format=RESULTS[fmt.name])
        if _row_bound(body, fmt.name) > max_rows and _rows(body, fmt.name) > max_rows:
            raise _too_large(max_rows, "rows")
        return body

    @property
    def graph(self):
        """CONSTRUCT / DESCRIBE triples as an rdflib Graph, converted on first use."""
        if self._graph is None and self.type in ("CONSTRUCT", "DESCRIBE"):
            self._graph = Graph()
            for t in self.native:
                self._graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return self._graph

    @graph.setter
    def graph(self, value) -> None:  # rdflib's Result.__init__ sets None
        self._graph = value

    def _rows(self):
        names = [str(v) for v in self.vars]
        for solution in self.native:
            yield {Variable(n): to_rdflib(solution[n]) for n in names if solution[n] is not None}


def _checked(text: str, base, prefixes: dict, allow_service: frozenset) -> tuple[list, list]:
    """Parse with rdflib, refuse a SERVICE that is not allow-listed (403) or a malformed query
    (400); return the FROM / FROM NAMED graphs. Refusals raise, so only accepted texts are cached
    (in :func:`server.cache.parsed`, beside the rdflib store's parsed queries)."""
    prepared = safety.parse_query(text, prefixes, base, allow_service)
    clause = prepared.algebra.get("datasetClause") or ()
    return ([str(d.default) for d in clause if d.default is not None],
            [str(d.named) for d in clause if d.named is not None])


def bind_inline(text: str, bindings: dict, form) -> str:
    """rdflib's ``initBindings`` in a form Oxigraph takes: a VALUES block opening the WHERE group.

    (Oxigraph's ``substitutions`` only accept projected variables, and canned queries bind
    parameters they do not project.) Terms are written by pyoxigraph, which validates IRIs, so
    a value cannot break out of its term.

    >>> from rdflib import Literal
    >>> bind_inline("SELECT ?s WHERE { ?s ?p ?d }", {"d": Literal(1)}, _FORM.search("SELECT"))
    'SELECT ?s WHERE { VALUES (?d) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) }  ?s ?p ?d }'
    """
    names = [str(name) for name in bindings]
    if not all(_VARNAME.fullmatch(name) for name in names):
        raise QueryError(400, f"invalid parameter name in {', '.join(map(repr, names))}")
    try:
        values = " ".join(str(to_oxigraph(term)) for term in bindings.values())
    except ValueError as e:
        raise QueryError(400, f"invalid parameter value: {e}") from None
    code = _NOT_CODE.sub(lambda m: " " * len(m.group()), text)  # same offsets as text
    is_construct = form is not None and form.group(1).lower() == "construct"
    group = (_WHERE if is_construct else _OPEN).search(code)
    if group is None:
        raise QueryError(400, "the query has no WHERE group to bind its parameters in")
    at = group.end()
    return f"{text[:at]} VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }} {text[at:]}"


def _limited(iterable, limit: int, what: str):
    for n, item in enumerate(iterable):
        if n >= limit:
            raise _too_large(limit, what)
        yield item


def _row_bound(body: bytes, fmt: str) -> int:
    """At least the number of rows, and cheap: every JSON row has a "{", every CSV row a newline;
    XML and TSV are counted exactly at the same cost."""
    if fmt in ("json", "csv"):
        return body.count(b"{" if fmt == "json" else b"\n")
    return _rows(body, fmt)


def _rows(body: bytes, fmt: str) -> int:
    """The exact number of rows of a serialised SELECT answer."""
    if fmt == "xml":  # "<" is escaped in XML text, so the tags count exactly
        return body.count(b"<result>") + body.count(b"<result/>")
    if fmt == "tsv":  # Oxigraph escapes newlines in TSV terms: one line per row, plus the header
        return body.count(b"\n") - 1
    if fmt == "csv":  # a quoted value may hold a newline: count records with the csv module
        import csv
        import io
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) - 1
    return len(list(ox.parse_query_results(body, ox.QueryResultsFormat.JSON)))


def _kind(native, code: str) -> str:
    if isinstance(native, ox.QuerySolutions):
        return "SELECT"
    if isinstance(native, ox.QueryBoolean):
        return "ASK"
    form = _FORM.search(code)
    return "DESCRIBE" if form and form.group(1).lower() == "describe" else "CONSTRUCT"


def _unescape(match: re.Match) -> str:
    return chr(int(match.group(1) or match.group(2), 16))


def _why_unparsable(text: str, error: Exception) -> str:
    """Oxigraph's message, or the read-only one when the text is a SPARQL Update."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseUpdate
    try:  # parse only: an update run on any store could LOAD from the network
        parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return f"malformed query: {error}"
    return "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is refused"


__all__ = ["OxigraphStore", "OxigraphResult", "to_rdflib", "to_oxigraph"]
