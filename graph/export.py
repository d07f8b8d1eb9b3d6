"""Write the dataset as standard RDF dumps, deterministically and atomically.

Whole dataset: TriG and N-Quads. Each named graph: Turtle, N-Triples, JSON-LD (with a readable
context) and RDF/XML. Plus a VoID description (https://www.w3.org/TR/void/) and the SHACL shapes.
Determinism: triples are inserted in sorted order into fresh graphs (rdflib's memory store
iterates in insertion order) and line-based formats are sorted; there are no blank nodes.
Atomicity: everything is written to a sibling temporary folder that replaces ``out_dir`` only
once complete.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from .formats import formats_of
from .iris import GRAPHS, PREFIXES
from .load import SHAPES_FILE
from .void import void_graph

JSONLD_CONTEXT = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def graph_name(graph_iri) -> str:
    """The file stem of a named graph's dumps: ``.../graph/asserted`` -> ``asserted``."""
    return str(graph_iri).rstrip("/").rsplit("/", 1)[-1]


def export(dataset: Dataset, out_dir: Path, ontology_dir: Path) -> list[Path]:
    """Write every dump into ``out_dir`` (replacing it whole); return the files written."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it 0700; the dumps are for others to read
    try:
        _write_all(dataset, staging, ontology_dir)
        _replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(out_dir.iterdir())


def _write_all(dataset: Dataset, folder: Path, ontology_dir: Path) -> None:
    _write(folder / "dataset.nq", dataset.serialize(format="nquads"), "nquads")
    _write(folder / "dataset.trig", serialize_trig(dataset), "trig")
    for iri in GRAPHS:
        graph = sorted_graph(dataset.graph(iri))
        for fmt in formats_of("graph"):
            _write(folder / f"{graph_name(iri)}.{fmt.extension}", serialize_graph(graph, fmt.rdflib), fmt.rdflib)
    _write(folder / "void.ttl", void_graph(dataset).serialize(format="turtle"), "turtle")
    shutil.copyfile(ontology_dir / SHAPES_FILE, folder / SHAPES_FILE)


def serialize_graph(graph: Graph, rdflib_format: str) -> str:
    """Serialise one graph in a stable order; JSON-LD gets the project's prefixes as context."""
    if rdflib_format == "json-ld":
        text = graph.serialize(format="json-ld", context=JSONLD_CONTEXT, indent=2, sort_keys=True)
        return json.dumps(_canonical_json(json.loads(text)), indent=2, sort_keys=True, ensure_ascii=False)
    return _SortedGraph(graph).serialize(format=rdflib_format)


def serialize_trig(dataset: Dataset) -> str:
    """TriG of the named graphs in a fixed order, each body written by the (sorted) Turtle writer."""
    prefixes, bodies = set(), []
    for iri in GRAPHS:
        lines = sorted_graph(dataset.graph(iri)).serialize(format="turtle").splitlines()
        prefixes.update(line for line in lines if line.startswith("@prefix"))
        body = [line for line in lines if not line.startswith("@prefix")]  # no indent: keeps long literals intact
        bodies.append(f"<{iri}> {{\n" + "\n".join(body).strip("\n") + "\n}\n")
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n".join(bodies)


class _SortedGraph(Graph):
    """A read-only view whose ``triples`` come out sorted, for writers that iterate the store."""

    def __init__(self, graph: Graph):
        super().__init__(store=graph.store, identifier=graph.identifier,
                         namespace_manager=graph.namespace_manager)

    def triples(self, pattern):
        yield from sorted(super().triples(pattern))


def _canonical_json(node):
    """Sort JSON-LD node lists by their text: values of a property are a set, order is noise."""
    if isinstance(node, dict):
        return {key: _canonical_json(value) for key, value in node.items()}
    if isinstance(node, list):
        items = [_canonical_json(item) for item in node]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return node


def sorted_graph(graph: Graph) -> Graph:
    """A standalone copy of ``graph`` holding its triples in sorted insertion order."""
    ordered = Graph()
    for prefix, namespace in PREFIXES.items():
        ordered.bind(prefix, namespace, replace=True)
    for triple in sorted(graph):
        ordered.add(triple)
    return ordered


def _write(path: Path, text: str, rdflib_format: str) -> None:
    if rdflib_format in ("nt", "nquads"):  # line-based: sort for byte-identical output
        text = "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))
    path.write_text(text, encoding="utf-8")


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
