"""The ``aesc-kg`` command line: build, validate, stats, query (and serve, from server/).

Thin wrappers over the pipeline functions: they print reports and exit non-zero on failure.
Progress goes to stderr only when it is a terminal.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

from rdflib import RDF, Dataset

from .build import build, build_to
from .iris import FACTS_DIR, GRAPHS, ONTOLOGY_DIR
from .load import FactFileError, load, load_dump, load_shapes
from .validate import ValidationError, validate

DEFAULT_OUT = Path("dumps")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # rdflib 7 raises DeprecationWarnings from its own internals (Dataset.query); under -W error
    # they would read as failures of the user's query.
    warnings.filterwarnings("ignore", message=r"Dataset\.\w+ is deprecated", category=DeprecationWarning)
    try:
        return args.handler(args)
    except (FactFileError, ValidationError) as err:
        print(f"aesc-kg: {err}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aesc-kg", description=(
        "Build, check, query and serve the AESC knowledge graph. The graph is built from "
        "ontology/*.ttl and graph/facts/*.ttl: load -> validate (SHACL) -> reason (OWL 2 RL)."))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("build", help="build the dataset and write the dumps (TriG, N-Quads, Turtle, ...)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder, replaced atomically (default: {DEFAULT_OUT})")
    _add_sources(p)
    p.set_defaults(handler=cmd_build)
    p = sub.add_parser("validate", help="check the facts against the vocabulary and the SHACL shapes")
    _add_sources(p)
    p.set_defaults(handler=cmd_validate)
    p = sub.add_parser("stats", help="triples per named graph and instances per class")
    _add_data(p)
    p.set_defaults(handler=cmd_stats)
    p = sub.add_parser("query", help="run a SPARQL query against the graph")
    p.add_argument("sparql", nargs="?", help="the query text (or use --file)")
    p.add_argument("--file", type=Path, help="read the query from this file")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format (default: table)")
    _add_data(p)
    p.set_defaults(handler=cmd_query)
    from .push import add_push_command
    add_push_command(sub)
    try:
        from server.cli import add_serve_command
    except ImportError:  # the server package is optional for the builder
        pass
    else:
        add_serve_command(sub)
    return parser


def _add_sources(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ontology", type=Path, default=ONTOLOGY_DIR, help="ontology folder (default: the shipped one)")
    p.add_argument("--facts", type=Path, default=FACTS_DIR, help="facts folder (default: the shipped one)")


def _add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, help="a folder written by 'aesc-kg build' (default: build in memory)")
    _add_sources(p)


def progress(message: str) -> None:
    """Report a step on a terminal, stay quiet otherwise (pipes, CI logs)."""
    if sys.stderr.isatty():
        print(f"[aesc-kg] {message}", file=sys.stderr)


def cmd_build(args) -> int:
    started = time.perf_counter()
    graphs = build_to(args.out, args.ontology, args.facts, progress, dataset=False)
    counts = ", ".join(f"{iri.rsplit('/', 1)[-1]} {len(graphs[iri])}" for iri in GRAPHS)
    print(f"built {args.out} in {time.perf_counter() - started:.1f} s: triples {counts}")
    return 0


def cmd_validate(args) -> int:
    dataset = load(args.ontology, args.facts)
    ontology, asserted = (dataset.graph(iri) for iri in GRAPHS[:2])
    conforms, _, report = validate(asserted, load_shapes(args.ontology), ontology)
    print(report)
    return 0 if conforms else 1


def cmd_stats(args) -> int:
    dataset = _dataset(args)
    print("triples per named graph:")
    for iri in GRAPHS:
        print(f"  {len(dataset.graph(iri)):>7}  <{iri}>")
    print("instances per class (asserted and inferred):")
    classes = Counter(o for _, o in dataset.subject_objects(RDF.type, unique=True))
    for cls, count in sorted(classes.items(), key=lambda item: (-item[1], str(item[0]))):
        print(f"  {count:>7}  {cls.n3(dataset.namespace_manager)}")
    return 0


def cmd_query(args) -> int:
    text = args.file.read_text(encoding="utf-8") if args.file else args.sparql
    if not text:
        print("aesc-kg query: give the query text or --file", file=sys.stderr)
        return 2
    try:
        result = _dataset(args).query(text)
    except Exception as err:  # the parser's message is the useful part  # noqa: BLE001
        print(f"aesc-kg query: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    _print_result(result, args.format)
    return 0


def _dataset(args) -> Dataset:
    return load_dump(args.data) if args.data else build(args.ontology, args.facts, progress)


def _print_result(result, fmt: str) -> None:
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        print(result.graph.serialize(format="turtle"))
        return
    if result.type == "ASK":
        print(json.dumps({"boolean": result.askAnswer}) if fmt == "json" else str(result.askAnswer).lower())
        return
    if fmt == "json":
        print(result.serialize(format="json").decode("utf-8"))
        return
    names = [str(v) for v in result.vars]
    rows = [["" if row[v] is None else str(row[v]) for v in result.vars] for row in result]
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    print("  ".join(n.ljust(w) for n, w in zip(names, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
    print(f"({len(rows)} rows)")


if __name__ == "__main__":
    sys.exit(main())
