"""Load the ontology and the fact files into a dataset, and load a previous build back.

Each Turtle file is parsed on its own so that a syntax error names its file and line, and the
facts are checked against the ontology's vocabulary so that a typo'd property or class is an
error, not a silent new predicate. Turtle: https://www.w3.org/TR/turtle/
"""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph

from rdflib import RDF, BNode, Dataset, Graph, URIRef
from rdflib.namespace import OWL, RDFS

from .iris import ASSERTED, BASE, DEFAULT_BASE, FACTS_DIR, KG, ONTOLOGY, ONTOLOGY_DIR, PREFIXES, split_prefixed
from .terms import Memo, to_rdflib

SHAPES_FILE = "shapes.ttl"
_DECLARED_PROPERTY = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
_DECLARED_CLASS = (OWL.Class, RDFS.Class)


class FactFileError(ValueError):
    """A fact or ontology file that cannot be used; the message starts with ``file:line:``."""


def parse_triples(path: Path) -> list[tuple]:
    """The triples of one Turtle file as rdflib terms, rebased to ``BASE``.

    Parsing is pyoxigraph's (a Rust parser, ~20x rdflib's speed); a syntax error becomes a
    ``FactFileError`` with file and line, and so does a blank node (builds must be deterministic).
    """
    terms = _Terms()
    triples = []
    try:
        for triple in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            triples.append((terms(triple.subject), terms(triple.predicate), terms(triple.object)))
    except SyntaxError as err:
        raise FactFileError(f"{path}:{err.lineno}: Turtle syntax error: {_reason(err)}") from None
    if terms.blank is not None:
        raise FactFileError(f"{path}:{_line_of(path, terms.blank)}: blank node found; give every "
                            "node an IRI so that builds stay deterministic")
    return triples


class _Terms:
    """pyoxigraph term -> rdflib term, memoised, rebased to ``BASE``; remembers a blank node."""

    def __init__(self, rebase: bool = True):
        self.convert = Memo(self._convert)
        self.blank = None
        self.rebase = rebase

    def __call__(self, term):
        return self.convert(term)

    def _convert(self, term):
        if isinstance(term, pyoxigraph.NamedNode) and self.rebase and term.value.startswith(DEFAULT_BASE):
            return URIRef(BASE + term.value[len(DEFAULT_BASE):])
        converted = to_rdflib(term)
        if isinstance(converted, BNode) and self.blank is None:
            self.blank = converted
        return converted


def _reason(err: SyntaxError) -> str:
    """pyoxigraph's message without its 'Parser error between line a column b and ...:' prefix."""
    message = str(err.msg if hasattr(err, "msg") else err)
    return re.sub(r"^Parser error (at|between) [^:]*: ", "", message) + f" (column {err.offset})"


def load(ontology_dir: Path = ONTOLOGY_DIR, facts_dir: Path = FACTS_DIR) -> Dataset:
    """Parse the ontology and the facts into a dataset with the ONTOLOGY and ASSERTED graphs."""
    ontology, asserted = load_triples(ontology_dir, facts_dir)
    return to_dataset({ONTOLOGY: ontology, ASSERTED: asserted})


def load_triples(ontology_dir: Path = ONTOLOGY_DIR, facts_dir: Path = FACTS_DIR) -> tuple[Graph, list]:
    """The ontology as a (small) graph and the checked facts as a list of triples.

    The facts stay a plain list so that a large build never pays for an rdflib store it does not
    need; duplicates across files are removed, in first-seen order.
    """
    ontology = Graph()
    for path in _turtle_files(ontology_dir, exclude=SHAPES_FILE):
        ontology.addN((s, p, o, ontology) for s, p, o in parse_triples(path))
    vocabulary = Vocabulary(ontology)
    asserted: dict = {}
    for path in _turtle_files(facts_dir):
        facts = parse_triples(path)
        vocabulary.check(facts, path)
        asserted.update(dict.fromkeys(facts))
    return ontology, list(asserted)


def to_dataset(graphs) -> Dataset:
    """A dataset (default graph = union) holding each ``{graph IRI: triples}`` as a named graph."""
    dataset = new_dataset()
    for iri, triples in graphs.items():
        graph = dataset.graph(iri)
        graph.addN((s, p, o, graph) for s, p, o in triples)
    return dataset


def load_shapes(ontology_dir: Path = ONTOLOGY_DIR) -> Graph:
    """The SHACL shapes graph (kept out of the dataset: it describes the data, it is not data)."""
    shapes = Graph()
    shapes.parse(ontology_dir / SHAPES_FILE, format="turtle")
    return shapes


class Vocabulary:
    """The properties, classes and kg: terms the ontology declares."""

    def __init__(self, ontology: Graph):
        self.properties = {s for t in _DECLARED_PROPERTY for s in ontology.subjects(RDF.type, t)}
        self.properties.add(RDF.type)
        self.classes = {s for t in _DECLARED_CLASS for s in ontology.subjects(RDF.type, t)}
        self.terms = set(ontology.subjects())

    def check(self, facts, path: Path) -> None:
        """Raise ``FactFileError`` for the undeclared term that comes first in the file."""
        problems = {}
        for s, p, o in facts:
            if p not in self.properties:
                problems[p] = "unknown property"
            elif p == RDF.type and o not in self.classes:
                problems[o] = "unknown class"
            elif isinstance(o, URIRef) and o.startswith(KG) and o not in self.terms:
                problems[o] = "unknown term"
        if problems:
            line, term = min((_line_of(path, term), str(term)) for term in problems)
            term = URIRef(term)
            raise FactFileError(f"{path}:{line}: {problems[term]} {_short(term)}: "
                                "it is not declared in ontology/ (typo?)")


def load_dump(out_dir: Path | str) -> Dataset:
    """Load the dataset written by ``aesc-kg build --out DIR`` (its ``dataset.nq``).

    Parsed by pyoxigraph (rdflib's N-Quads parser is ~10x slower); the IRIs are taken as written
    (the dump already carries the base it was built with).
    """
    path = Path(out_dir) / "dataset.nq"
    terms = _Terms(rebase=False)
    graphs: dict = {}
    try:
        for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS):
            graphs.setdefault(quad.graph_name.value, []).append(
                (terms(quad.subject), terms(quad.predicate), terms(quad.object)))
    except SyntaxError as err:
        raise FactFileError(f"{path}:{err.lineno}: N-Quads syntax error: {_reason(err)}") from None
    return to_dataset({URIRef(iri): triples for iri, triples in graphs.items()})


def new_dataset() -> Dataset:
    """An empty dataset whose default graph is the union of its named graphs."""
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, replace=True)
    return dataset


def _turtle_files(folder: Path, exclude: str | None = None) -> list[Path]:
    files = sorted(p for p in Path(folder).glob("*.ttl") if p.name != exclude)
    if not files:
        raise FactFileError(f"{folder}: no .ttl files found")
    return files


def _short(term: URIRef) -> str:
    split = split_prefixed(term)
    return f"{split[0]}:{split[1]}" if split else f"<{term}>"


def _line_of(path: Path, term) -> int:
    """Best effort: the first line (outside comments) that mentions the term; 1 when none does.

    A blank node has no name in the file: its line is the first ``[`` or ``_:``.
    """
    if isinstance(term, BNode):
        needles = [re.escape("["), re.escape("_:")]
    else:
        text = str(term)
        local = re.split(r"[#/]", text)[-1] if isinstance(term, URIRef) else text
        needles = [re.escape(f"<{text}>")] + ([re.escape(f":{local}") + r"(?![\w-])"] if local else [])
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        code = _strip_comment(line)
        if any(re.search(needle, code) for needle in needles):
            return number
    return 1


def _strip_comment(line: str) -> str:
    """The line without a trailing ``# comment`` (a ``#`` inside <...> or "..." is kept)."""
    inside = None
    for index, char in enumerate(line):
        if inside:
            inside = None if char == inside else inside
        elif char in "<\"":
            inside = ">" if char == "<" else char
        elif char == "#":
            return line[:index]
    return line
