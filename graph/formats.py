"""The one format table: every RDF and result format the project reads, writes or serves.

Export loops over it, the endpoint negotiates with it, and the tests parametrise over it.
Media types follow the W3C recommendations (SPARQL 1.1 Query Results JSON/XML/CSV-TSV, RDF 1.1
Turtle, N-Triples, TriG, N-Quads, JSON-LD 1.1, RDF/XML).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    name: str          # short name, also the value of the ``format`` parameter
    media_type: str    # preferred media type, sent as Content-Type
    extension: str     # file extension of exported dumps
    rdflib: str        # rdflib serializer / parser name
    kind: str          # "graph" (one graph), "dataset" (quads) or "results" (SELECT/ASK)
    aliases: tuple[str, ...] = ()  # other media types clients send for the same format


FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "srj", "json", "results", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "srx", "xml", "results", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "csv", "csv", "results"),
    Format("tsv", "text/tab-separated-values", "tsv", "tsv", "results"),
    Format("turtle", "text/turtle", "ttl", "turtle", "graph", ("application/x-turtle",)),
    Format("ntriples", "application/n-triples", "nt", "nt", "graph", ("text/plain",)),
    Format("jsonld", "application/ld+json", "jsonld", "json-ld", "graph", ("application/json",)),
    Format("rdfxml", "application/rdf+xml", "rdf", "xml", "graph", ("application/xml", "text/xml")),
    Format("trig", "application/trig", "trig", "trig", "dataset"),
    Format("nquads", "application/n-quads", "nq", "nquads", "dataset"),
)

BY_NAME = {f.name: f for f in FORMATS}


def formats_of(kind: str) -> tuple[Format, ...]:
    """The formats usable for one kind of answer, preferred first.

    >>> [f.name for f in formats_of("results")]
    ['json', 'xml', 'csv', 'tsv']
    """
    return tuple(f for f in FORMATS if f.kind == kind)


def lookup(name: str, kind: str | None = None) -> Format:
    """Find a format by short name or media type; ``ValueError`` names the supported ones."""
    candidates = FORMATS if kind is None else formats_of(kind)
    for f in candidates:
        if name in (f.name, f.media_type, f.extension) or name in f.aliases:
            return f
    supported = ", ".join(f"{f.name} ({f.media_type})" for f in candidates)
    raise ValueError(f"unsupported format {name!r}; supported: {supported}")
