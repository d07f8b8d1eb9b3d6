"""Canned SPARQL queries: ``queries/<name>.rq`` files whose metadata sits in header comments.

    # title: Who owned AESC on a date
    # description: One or more sentences.
    # view: table | timeline | bar | graph
    # param: date xsd:date 2012-01-01 The date on which to list the owners

A parameter is bound as an RDF term through ``initBindings`` (never pasted into the query text),
after its value has been checked against its type; a bad value raises ``ParameterError`` naming
the parameter. Query language: https://www.w3.org/TR/sparql11-query/
"""
from __future__ import annotations

import datetime
import decimal
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD

from .iris import BASE, DEFAULT_BASE, QUERIES_DIR

VIEWS = ("table", "timeline", "bar", "graph")
_HEADER = re.compile(r"^#\s*(title|description|view|param):\s*(.*?)\s*$")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


class ParameterError(ValueError):
    """A parameter value that does not fit its declared type."""

    def __init__(self, name: str, message: str):
        super().__init__(f"parameter {name!r}: {message}")
        self.name = name


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str          # "iri", "xsd:date", "xsd:gYear", "xsd:integer", "xsd:decimal", "xsd:string"
    default: str
    description: str

    def term(self, value: str | None):
        """The RDF term for ``value`` (the default when None or empty)."""
        raw = self.default if value in (None, "") else value.strip()
        try:
            return _CONVERTERS[self.type](raw)
        except (ValueError, KeyError) as err:
            raise ParameterError(self.name, f"{raw!r} is not a valid {self.type} ({err})") from None


def _date(raw: str) -> Literal:
    return Literal(datetime.date.fromisoformat(raw).isoformat(), datatype=XSD.date)


def _iri(raw: str) -> URIRef:
    if not _IRI.match(raw):
        raise ValueError("expected an absolute IRI such as https://w3id.org/aesc-kg/id/plant/douai")
    return URIRef(rebase(raw))


def _year(raw: str) -> Literal:
    if not re.fullmatch(r"-?\d{4}", raw):
        raise ValueError("expected a four-digit year")
    return Literal(raw, datatype=XSD.gYear)


def _decimal(raw: str) -> Literal:
    if not _DECIMAL.fullmatch(raw):  # the xsd:decimal lexical space: no exponent, no NaN
        raise ValueError("expected a decimal number such as 9.5")
    return Literal(str(decimal.Decimal(raw)), datatype=XSD.decimal)


_CONVERTERS = {
    "iri": _iri, "xsd:date": _date, "xsd:gYear": _year,
    "xsd:integer": lambda raw: Literal(int(raw), datatype=XSD.integer),
    "xsd:decimal": lambda raw: _decimal(raw),
    "xsd:string": lambda raw: Literal(raw),
}


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    sparql: str
    view: str = "table"
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def bindings(self, values: dict[str, str] | None = None) -> dict[Variable, object]:
        """Initial bindings for the given parameter values (defaults for missing ones)."""
        values = values or {}
        return {Variable(p.name): p.term(values.get(p.name)) for p in self.parameters}

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description,
                "view": self.view, "sparql": self.sparql,
                "parameters": [p.__dict__ for p in self.parameters]}


def parse_query_file(path: Path) -> CannedQuery:
    """Read one ``.rq`` file; ``ValueError`` names the file when title or description is missing."""
    text = rebase(Path(path).read_text(encoding="utf-8"))
    meta: dict[str, str] = {}
    params = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            name, type_, default, *description = value.split(" ", 3)
            if type_ not in _CONVERTERS:
                raise ValueError(f"{path}: parameter {name!r} has unknown type {type_!r}; known: {', '.join(_CONVERTERS)}")
            params.append(Parameter(name, type_, default, " ".join(description)))
        else:
            meta[key] = value
    missing = [key for key in ("title", "description") if key not in meta]
    if missing:
        raise ValueError(f"{path}: missing header line(s): {', '.join('# ' + k + ':' for k in missing)}")
    view = meta.get("view", "table")
    if view not in VIEWS:
        raise ValueError(f"{path}: unknown view {view!r}; known: {', '.join(VIEWS)}")
    return CannedQuery(Path(path).stem, meta["title"], meta["description"], text, view, tuple(params))


def load_queries(folder: Path = QUERIES_DIR) -> dict[str, CannedQuery]:
    """Every canned query of ``folder`` by name, in name order."""
    return {q.name: q for q in map(parse_query_file, sorted(Path(folder).glob("*.rq")))}


def rebase(text: str) -> str:
    """Queries are written against the default base; follow a configured one."""
    return text if BASE == DEFAULT_BASE else text.replace(DEFAULT_BASE, BASE)
