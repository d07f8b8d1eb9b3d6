"""Serialise a query result to bytes in one format of the table, enforcing the result-size limit.

SELECT / ASK use the SPARQL 1.1 Query Results formats: JSON (https://www.w3.org/TR/sparql11-results-json/),
XML (https://www.w3.org/TR/rdf-sparql-XMLres/) and CSV / TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/).
rdflib writes JSON, XML and CSV; it has no TSV writer, so :func:`tsv_term` writes the RDF term syntax
the TSV section asks for. CONSTRUCT / DESCRIBE graphs go through rdflib's RDF serializers.
A result over the row limit is refused, never silently cut (the Virtuoso habit, #112).
"""
from __future__ import annotations

import itertools

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.query import Result

from graph.formats import Format
from graph.iris import PREFIXES
from server.errors import QueryError

ASK_VAR = "_askResult"  # CSV/TSV have no boolean form; Jena's convention: one column, one row


def serialize(result: Result, fmt: Format, max_rows: int) -> bytes:
    """``result`` as bytes in ``fmt``; :class:`QueryError` 422 when it has more than ``max_rows``."""
    if hasattr(result, "serialize_native"):  # a store that writes its own answers (Oxigraph)
        return result.serialize_native(fmt, max_rows)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return serialize_graph(result.graph, fmt, max_rows)
    if result.type == "ASK":
        return _ask_bytes(result, fmt)
    rows = list(itertools.islice(iter(result), max_rows + 1))
    if len(rows) > max_rows:
        raise _too_large(max_rows, "rows")
    bindings = [{v: t for v, t in zip(result.vars, row) if t is not None} for row in rows]
    if fmt.name == "tsv":
        return tsv_table(result.vars, bindings).encode("utf-8")
    table = Result("SELECT")
    table.vars, table.bindings = result.vars, bindings
    return table.serialize(format=fmt.rdflib, encoding="utf-8")


def serialize_graph(graph, fmt: Format, max_rows: int) -> bytes:
    if len(graph) > max_rows:
        raise _too_large(max_rows, "triples")
    for prefix, namespace in PREFIXES.items():  # readable Turtle/TriG/RDF-XML, not ns1:, ns2:
        graph.bind(prefix, namespace, replace=True)
    if fmt.kind == "dataset":  # TriG / N-Quads need a dataset: the triples form its default graph
        dataset = Dataset()
        dataset.default_graph += graph
        graph = dataset
    return graph.serialize(format=fmt.rdflib, encoding="utf-8")


def _ask_bytes(result: Result, fmt: Format) -> bytes:
    answer = "true" if result.askAnswer else "false"
    if fmt.name == "csv":
        return f"{ASK_VAR}\r\n{answer}\r\n".encode()
    if fmt.name == "tsv":
        return f"?{ASK_VAR}\n{answer}\n".encode()
    return result.serialize(format=fmt.rdflib, encoding="utf-8")


def _too_large(limit: int, what: str) -> QueryError:
    return QueryError(422, f"the result has more than {limit} {what}, the endpoint's limit "
                           "(--max-rows); add a LIMIT or narrow the query")


def tsv_table(variables, rows) -> str:
    """A TSV results document: header of ``?var``, then one line per row, fields in RDF syntax.

    >>> tsv_table(["s", "o"], [{"s": URIRef("http://a/b"), "o": Literal("x\\ty", lang="en")}])
    '?s\\t?o\\n<http://a/b>\\t"x\\\\ty"@en\\n'
    """
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join(tsv_term(row.get(v)) for v in variables))
    return "\n".join(lines) + "\n"


def tsv_term(term) -> str:
    """One RDF term in the TSV syntax (Turtle terms; an unbound variable is an empty field)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{_iri_escape(term)}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = f'"{_string_escape(str(term))}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{text}^^<{_iri_escape(term.datatype)}>"
        return text
    raise TypeError(f"not an RDF term: {term!r}")  # a quoted triple: rdflib never binds one here


_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _string_escape(text: str) -> str:
    # A raw tab or newline would split the field or the row: Turtle's ECHAR escapes keep it one.
    return text.translate(_STRING_ESCAPES)


def _iri_escape(iri: str) -> str:
    # Characters an IRIREF may not hold become UCHAR escapes (never present in well-formed data).
    return "".join(f"\\u{ord(c):04X}" if c in '<>"{}|^`\\' or ord(c) <= 0x20 else c for c in iri)
