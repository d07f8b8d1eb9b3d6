"""Write the dataset as standard RDF dumps, deterministically and atomically.

Whole dataset: TriG and N-Quads. Each named graph: Turtle, N-Triples, JSON-LD (with a context of
readable prefixes) and RDF/XML. Plus a VoID description (https://www.w3.org/TR/void/) and the
SHACL shapes. The writers are pyoxigraph's (Rust, fast enough for 10^6 triples), except JSON-LD,
which is written here so that it can use a compact, readable context.

Determinism: triples are sorted (by their N-Triples form) before they reach a writer, the writers
keep the order they are given, and there are no blank nodes. Atomicity: everything is written to
a sibling temporary folder that replaces ``out_dir`` only once complete.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Dataset, Graph, URIRef

from .iris import GRAPHS, PREFIXES, split_prefixed
from .load import SHAPES_FILE, to_dataset
from .terms import XSD_STRING, Memo, to_oxigraph
from .void import graph_triples, void_graph

# Vocabulary prefixes only: resources keep their full IRIs in "@id", which a naive consumer can follow.
JSONLD_CONTEXT = {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items()) if prefix != "id"}
_OX_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
_GRAPH_FORMATS = (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("rdf", ox.RdfFormat.RDF_XML))
# Above this size the vocabulary-view files are left out of the dumps (see _write_all).
VIEWS_MAX_TRIPLES = 50_000
_LOG = logging.getLogger("aesc_kg.export")


def graph_name(graph_iri) -> str:
    """The file stem of a named graph's dumps: ``.../graph/asserted`` -> ``asserted``."""
    return str(graph_iri).rstrip("/").rsplit("/", 1)[-1]


def export(dataset: Dataset | Mapping, out_dir: Path, ontology_dir: Path,
           before_swap: Callable[[], None] | None = None) -> list[Path]:
    """Write every dump into ``out_dir`` (replacing it whole); return the files written.

    ``dataset`` is an rdflib dataset or a mapping ``{graph IRI: iterable of triples}``.
    ``before_swap`` runs once the files are written and may raise to keep ``out_dir`` untouched.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it 0700; the dumps are for others to read
    try:
        _write_all(dataset, staging, ontology_dir)
        if before_swap is not None:
            before_swap()
        _replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(out_dir.iterdir())


def _write_all(dataset: Dataset | Mapping, folder: Path, ontology_dir: Path) -> None:
    convert = Memo(to_oxigraph)
    graphs = {iri: sorted_triples(graph_triples(dataset, iri)) for iri in GRAPHS}
    quads, per_graph = [], {}
    for iri, triples in graphs.items():
        name = ox.NamedNode(str(iri))
        per_graph[iri] = [ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in triples]
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in per_graph[iri])
    ox.serialize(quads, str(folder / "dataset.nq"), ox.RdfFormat.N_QUADS)
    _sort_lines(folder / "dataset.nq")
    ox.serialize(quads, str(folder / "dataset.trig"), ox.RdfFormat.TRIG, prefixes=_OX_PREFIXES)
    for iri, triples in graphs.items():
        stem = folder / graph_name(iri)
        ox_triples = per_graph[iri]
        for extension, fmt in _GRAPH_FORMATS:
            ox.serialize(ox_triples, str(stem.with_suffix(f".{extension}")), fmt, prefixes=_OX_PREFIXES)
        _sort_lines(stem.with_suffix(".nt"))
        stem.with_suffix(".jsonld").write_text(jsonld(triples), encoding="utf-8")
    (folder / "void.ttl").write_bytes(serialize_graph(void_graph(graphs), "ttl"))
    shutil.copyfile(ontology_dir / SHAPES_FILE, folder / SHAPES_FILE)
    size = sum(len(triples) for triples in graphs.values())
    if size > VIEWS_MAX_TRIPLES:  # the views are rdflib CONSTRUCTs: minutes at 10^6 triples
        _LOG.warning("vocabulary views not written: %d triples is over %d; query the canned "
                     "views (wikidata-view, schema-view) on the endpoint instead", size, VIEWS_MAX_TRIPLES)
        return
    from .views import write_views  # imported here: views uses this module's writers
    write_views(dataset if isinstance(dataset, Dataset) else to_dataset(dataset), folder)


def serialize_graph(graph: Graph, extension: str = "ttl") -> bytes:
    """One rdflib graph in a dump format (``ttl``, ``nt``, ``rdf`` or ``jsonld``), sorted."""
    triples = sorted_triples(graph)
    if extension == "jsonld":
        return jsonld(triples).encode("utf-8")
    convert = Memo(to_oxigraph)
    fmt = dict(_GRAPH_FORMATS)[extension]
    return ox.serialize([ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in triples],
                        format=fmt, prefixes=_OX_PREFIXES)


def sorted_triples(graph) -> list[tuple]:
    """The graph's triples in N-Triples order: the same input always gives the same list."""
    keys: dict = {}

    def key(term):
        found = keys.get(term)
        if found is None:
            found = keys[term] = term.n3()
        return found

    return sorted(graph, key=lambda t: (key(t[0]), key(t[1]), key(t[2])))


def jsonld(triples: list[tuple]) -> str:
    """JSON-LD 1.1 of sorted triples: one node per subject, IRIs compacted with the prefixes."""
    nodes = []
    for subject, group in groupby(triples, key=lambda t: t[0]):
        node: dict = {"@id": _compact(subject)}
        for predicate, values in groupby(group, key=lambda t: t[1]):
            objects = [o for _, _, o in values]
            if predicate == RDF.type:
                node["@type"] = _one_or_many([_compact(o) for o in objects])
            else:
                node[_compact(predicate)] = _one_or_many([_jsonld_value(o) for o in objects])
        nodes.append(node)
    # One node per line: readable, and the C encoder does the work (indent= would use Python's).
    body = ",\n".join(json.dumps(node, ensure_ascii=False) for node in nodes)
    context = json.dumps(JSONLD_CONTEXT, indent=2, ensure_ascii=False)
    return f'{{"@context": {context},\n"@graph": [\n{body}\n]}}\n'


def _one_or_many(values: list):
    return values[0] if len(values) == 1 else values


@lru_cache(maxsize=None)
def _compact(iri) -> str:
    split = split_prefixed(iri, JSONLD_CONTEXT)
    return f"{split[0]}:{split[1]}" if split else str(iri)


def _jsonld_value(term):
    if isinstance(term, URIRef):
        return {"@id": _compact(term)}  # vocabulary terms compact; resources stay full IRIs
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype is None or str(term.datatype) == XSD_STRING:
        return str(term)
    return {"@value": str(term), "@type": _compact(term.datatype)}


def _sort_lines(path: Path) -> None:
    """Line-based dumps sorted as text, so that `sort` and `diff` agree with them."""
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(sorted(lines)))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace(staging: Path, out_dir: Path) -> None:
    """Swap the finished staging folder in; the old output survives until the swap."""
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out_dir.rename(old)
        staging.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(out_dir)
