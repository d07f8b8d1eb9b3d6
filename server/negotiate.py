"""Content negotiation over the one format table (graph/formats.py).

The answer kind decides the table: SELECT / ASK pick among the result formats, CONSTRUCT / DESCRIBE
among the RDF formats (https://www.w3.org/TR/sparql11-protocol/#query-success). A ``format`` parameter
(short name, media type or extension; clients like SPARQLWrapper send it, sometimes twice) wins over
``Accept``; otherwise ``Accept`` with q-values goes to Werkzeug's ``best_match``. No Accept header
(or ``*/*``) gives the first row of the table: SPARQL JSON for tables, Turtle for graphs.
"""
from __future__ import annotations

from graph.formats import FORMATS, Format, formats_of
from server.errors import QueryError

KINDS = {"results": ("results",), "graph": ("graph", "dataset")}


def candidates(kind: str) -> tuple[Format, ...]:
    return tuple(f for k in KINDS[kind] for f in formats_of(k))


def negotiate(accept, format_values=()) -> dict[str, Format | None]:
    """The format for each answer kind ("results", "graph"); None where nothing is acceptable.

    ``accept`` is a Werkzeug ``MIMEAccept`` (empty when the request had no Accept header).
    """
    named = _named(format_values)
    return {kind: named[kind] if kind in named else choose(kind, accept) for kind in KINDS}


def _named(format_values) -> dict[str, Format | None]:
    """Formats asked for by ``format``, by kind; a kind none of them names is left to Accept."""
    if not format_values:
        return {}
    found = {kind: _lookup(format_values, kind) for kind in KINDS}
    if not any(found.values()):
        supported = ", ".join(f.name for f in FORMATS)
        raise QueryError(406, f"unsupported format {', '.join(map(repr, format_values))}; "
                              f"supported: {supported} (or their media types)")
    # A client that names only a table format still gets a graph for CONSTRUCT by Accept.
    return {kind: fmt for kind, fmt in found.items() if fmt}


def _lookup(values, kind: str) -> Format | None:
    for value in values:
        wanted = value.strip().lower()
        for fmt in candidates(kind):
            if wanted in (fmt.name, fmt.media_type, fmt.extension, fmt.rdflib, *fmt.aliases):
                return fmt
    return None


def choose(kind: str, accept) -> Format | None:
    """The best format of ``kind`` for an Accept header; the table's first when there is none."""
    formats = candidates(kind)
    if not accept:
        return formats[0]
    # Preferred media types first, aliases after: "text/*" means CSV, not XML sent as text/xml.
    offers = {fmt.media_type: fmt for fmt in formats}
    offers.update({alias: fmt for fmt in formats for alias in fmt.aliases if alias not in offers})
    best = accept.best_match(list(offers))
    return offers[best] if best else None


def supported(kind: str) -> str:
    return ", ".join(f.media_type for f in candidates(kind))
