"""rdflib <-> pyoxigraph terms, with the same N-Triples form on both sides.

rdflib writes a simple literal without a datatype, pyoxigraph with ``xsd:string``; the two are
the same RDF term (RDF 1.1), so ``xsd:string`` is dropped on the way to rdflib.
"""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
    raise TypeError(f"not an RDF term rdflib can hold here: {term!r}")  # a quoted triple


def to_oxigraph(term):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


class Memo:
    """A conversion function, memoised: the same IRI recurs thousands of times in a file."""

    def __init__(self, convert):
        self.convert = convert
        self.memo: dict = {}

    def __call__(self, term):
        found = self.memo.get(term)
        if found is None:
            found = self.memo[term] = self.convert(term)
        return found
