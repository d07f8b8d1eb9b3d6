"""The query store: the one object the endpoint asks for answers.

A store is anything with ``query(text, default_graph_uris, named_graph_uris, base, bindings)`` returning an
rdflib :class:`~rdflib.query.Result`, ``graphs()`` (named-graph IRI -> triple count), ``triples()``
(size of the union default graph), ``void()`` (a VoID graph) and ``etag`` (a hash of the content).
The views and the worker pool only use that surface, so a pyoxigraph store or a remote SPARQL store
can slot in later without touching them (duck typing, no base class).

:class:`RdflibStore` is the embedded implementation over an ``rdflib.Dataset`` whose default graph
is the union of its named graphs. The protocol dataset (``default-graph-uri`` / ``named-graph-uri``,
https://www.w3.org/TR/sparql11-protocol/#dataset) replaces the query's own FROM / FROM NAMED, and both
select among the local graphs only: see :mod:`server.safety` for why nothing is ever fetched.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from functools import cached_property

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.sparql.algebra import StopTraversal, traverse
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.processor import SPARQLResult
from rdflib.query import Result

from server import cache, safety
from server.errors import QueryError


class Counted:
    """What every store derives from its ``_counts`` (total, ((graph IRI, triples), ...)) and
    ``_void``, both computed once: the data never changes while it is served."""

    def graphs(self) -> dict[URIRef, int]:
        """Named-graph IRI -> number of triples, sorted by IRI."""
        return dict(self._counts[1])

    def triples(self) -> int:
        """Number of distinct triples of the default graph (the union)."""
        return self._counts[0]

    def void(self) -> Graph:
        """The VoID description: the build's when one was given, else a minimal one from the counts."""
        return self._void


class RdflibStore(Counted):
    """An in-memory rdflib dataset, queried by rdflib's SPARQL engine."""

    def __init__(self, dataset: Dataset, prefixes: dict | None = None, describe=None,
                 allow_service=()):
        self.dataset = dataset
        self.prefixes = dict(prefixes or {})
        self._describe = describe  # dataset -> VoID Graph (graph.void for the project's data)
        self.allow_service = frozenset(allow_service)  # SERVICE endpoint IRIs a query may call

    def query(self, text: str, default_graph_uris=(), named_graph_uris=(),
              base: str | None = None, bindings=None) -> Result:
        """Parse, check and evaluate one SPARQL query; :class:`QueryError` for bad input.

        ``bindings`` (``{name: rdflib term}``) are initial bindings, rdflib's ``initBindings``:
        canned-query parameters are bound as terms, never pasted into the query text."""
        key = (text, base, tuple(default_graph_uris), tuple(named_graph_uris), self.allow_service, id(self.prefixes))
        prepared = cache.parsed(key, lambda: safety.parse_query(text, self.prefixes, base, self.allow_service,
                                                                  runtime_services=True))
        _construct_where_template(prepared.algebra)
        if default_graph_uris or named_graph_uris:
            # The protocol dataset wins over FROM / FROM NAMED (Protocol 2.1.4).
            prepared.algebra["datasetClause"] = _dataset_clause(default_graph_uris, named_graph_uris)
        return SPARQLResult(evalQuery(self.dataset, prepared, dict(bindings or {}), base))


    @cached_property
    def _counts(self) -> tuple[int, tuple]:
        # Counted once: the dataset never changes while it is served.
        named = sorted((g.identifier, len(g)) for g in self.dataset.graphs()
                       if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g))
        return sum(1 for _ in self.dataset.triples((None, None, None))), tuple(named)

    @cached_property
    def _void(self) -> Graph:
        if self._describe is not None:
            return self._describe(self.dataset)
        from server.describe import void_of
        return void_of(self)

    @cached_property
    def etag(self) -> str:
        """A content hash, stable for the life of the process (the dataset never changes)."""
        digest = hashlib.sha256()
        for line in sorted(self.dataset.serialize(format="nquads", encoding="utf-8").splitlines()):
            digest.update(line)
        return digest.hexdigest()[:32]


def _construct_where_template(algebra) -> None:
    """Give CONSTRUCT WHERE its template: rdflib 7.6 looks for it at ``p.p`` and fails (TypeError)
    once a LIMIT or ORDER BY wraps the pattern; the short form's pattern is a single BGP."""
    if algebra.name == "ConstructQuery" and algebra.template is None:
        algebra["template"] = traverse(algebra.p, visitPre=_first_bgp, complete=[])


def _first_bgp(node):
    if isinstance(node, CompValue) and node.name == "BGP":
        raise StopTraversal(node.triples)


def _dataset_clause(default_graph_uris, named_graph_uris) -> list[CompValue]:
    """The protocol dataset in the shape rdflib's parser gives FROM / FROM NAMED."""
    clause = [CompValue("DatasetClause", default=URIRef(g)) for g in default_graph_uris]
    clause += [CompValue("DatasetClause", named=URIRef(g)) for g in named_graph_uris]
    return clause


BACKENDS = ("rdflib", "oxigraph")


def open_store(config) -> RdflibStore:
    """The store named by the app config: a given STORE object or DATASET, a dump dir, or a fresh
    build, held by the backend STORE names ("rdflib", the default, or "oxigraph")."""
    from graph.iris import PREFIXES
    backend = config.get("STORE") or "rdflib"
    if not isinstance(backend, str):
        return backend  # a ready store object
    from server.remote_store import is_remote, open_remote
    if is_remote(backend):  # "sparql+http://host:port/query": a remote SPARQL endpoint
        return open_remote(config, PREFIXES, config.get("ALLOW_SERVICE", ()))
    if backend not in BACKENDS:
        raise ValueError(f"unknown store {backend!r}; known: {', '.join(BACKENDS)}, sparql+http://HOST:PORT/PATH")
    allowed = config.get("ALLOW_SERVICE", ())
    if backend == "oxigraph":
        return _open_oxigraph(config, PREFIXES, allowed)
    if config.get("DATASET") is not None:  # any dataset (tests): a VoID from its own counts
        return RdflibStore(config["DATASET"], PREFIXES, allow_service=allowed)
    from graph.void import void_graph
    if config.get("DATA_DIR"):
        dataset = _load_dump(Path(config["DATA_DIR"]))
    else:
        from graph import build
        dataset = build()
    return RdflibStore(dataset, PREFIXES, void_graph, allowed)


def _open_oxigraph(config, prefixes, allowed):
    """An OxigraphStore; a dump dir is read by Oxigraph alone (no rdflib parse: fast at 10^6)."""
    from server.oxigraph_store import OxigraphStore
    if config.get("DATASET") is not None:
        return OxigraphStore.from_dataset(config["DATASET"], prefixes, allow_service=allowed)
    if config.get("DATA_DIR"):
        directory = Path(config["DATA_DIR"])
        store = OxigraphStore.from_dump(directory / "dataset.nq", prefixes, allowed)
        if (directory / "void.ttl").is_file():  # the build's own VoID, read when first asked for
            store.describe_with(lambda: Graph().parse(directory / "void.ttl", format="turtle"))
        return store
    from graph import build
    from graph.void import void_graph
    return OxigraphStore.from_dataset(build(), prefixes, void_graph, allowed)


def _load_dump(directory: Path) -> Dataset:
    """``DIR/dataset.nq`` of a previous ``aesc-kg build --out DIR``."""
    from graph import load_dump
    return load_dump(directory)


__all__ = ["RdflibStore", "open_store", "QueryError"]
