"""A VoID description of the dataset (https://www.w3.org/TR/void/): counts per named graph,
classes and properties, the vocabularies used, the licence and the dump files.

Class and property partitions get IRIs of their own (no blank nodes) so that the description is
deterministic.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping

from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from .iris import BASE, GRAPHS, PREFIXES, SD, VOID, split_prefixed

DATASET = URIRef(BASE + "void#dataset")
LICENSE = URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
SOURCE = URIRef("https://en.wikipedia.org/wiki/Automotive_Energy_Supply_Corporation")


def void_graph(dataset: Dataset | Mapping, endpoint: str | None = None) -> Graph:
    """Describe ``dataset`` (or ``{graph IRI: triples}``); name the SPARQL endpoint when served."""
    void = Graph()
    for prefix in ("void", "sd"):
        void.bind(prefix, PREFIXES[prefix])
    void.bind("dcterms", DCTERMS)
    stats = {iri: _Stats(graph_triples(dataset, iri)) for iri in GRAPHS}
    _describe(void, DATASET, _Stats.union(stats.values()))
    void.add((DATASET, DCTERMS.title, Literal("AESC knowledge graph", lang="en")))
    void.add((DATASET, DCTERMS.license, LICENSE))
    void.add((DATASET, DCTERMS.source, SOURCE))
    void.add((DATASET, VOID.uriSpace, Literal(BASE + "id/")))
    for ext in ("trig", "nq"):
        void.add((DATASET, VOID.dataDump, URIRef(f"{BASE}dumps/dataset.{ext}")))
    if endpoint:
        void.add((DATASET, VOID.sparqlEndpoint, URIRef(endpoint)))
    for iri in GRAPHS:
        subset = URIRef(f"{BASE}void#{str(iri).rsplit('/', 1)[-1]}")
        void.add((DATASET, VOID.subset, subset))
        void.add((subset, SD.name, iri))
        _describe(void, subset, stats[iri])
    return void


def graph_triples(source: Dataset | Mapping, iri):
    """The triples of one named graph of a dataset or of a ``{graph IRI: triples}`` mapping."""
    return source.get(iri, ()) if isinstance(source, Mapping) else source.graph(iri)


class _Stats:
    """Counts of one graph, gathered in a single pass over its triples."""

    def __init__(self, graph=None):
        self.triples, self.subjects = 0, set()
        self.classes, self.properties = Counter(), Counter()
        for s, p, o in graph if graph is not None else ():
            self.triples += 1
            self.subjects.add(s)
            self.properties[p] += 1
            if p == RDF.type:
                self.classes[o] += 1

    @classmethod
    def union(cls, parts) -> "_Stats":
        """The named graphs never share a triple, so the union's counts are sums."""
        total = cls()
        for part in parts:
            total.triples += part.triples
            total.subjects |= part.subjects
            total.classes.update(part.classes)
            total.properties.update(part.properties)
        return total


def _describe(void: Graph, node: URIRef, stats: _Stats) -> None:
    void.add((node, RDF.type, VOID.Dataset))
    void.add((node, VOID.triples, Literal(stats.triples, datatype=XSD.integer)))
    void.add((node, VOID.distinctSubjects, Literal(len(stats.subjects), datatype=XSD.integer)))
    void.add((node, VOID.classes, Literal(len(stats.classes), datatype=XSD.integer)))
    void.add((node, VOID.properties, Literal(len(stats.properties), datatype=XSD.integer)))
    for kind, counts, key in (("class", stats.classes, VOID["class"]), ("property", stats.properties, VOID.property)):
        for term, count in sorted(counts.items()):
            part = URIRef(f"{node}-{kind}-{_slug(term)}")
            void.add((node, VOID.classPartition if kind == "class" else VOID.propertyPartition, part))
            void.add((part, key, term))
            void.add((part, VOID.entities if kind == "class" else VOID.triples, Literal(count, datatype=XSD.integer)))


def _slug(term: URIRef) -> str:
    split = split_prefixed(term)
    if split:
        return f"{split[0]}.{split[1]}"
    return hashlib.sha1(str(term).encode("utf-8")).hexdigest()[:16]
