"""A VoID description of the dataset (https://www.w3.org/TR/void/): counts per named graph,
classes and properties, the vocabularies used, the licence and the dump files.

Class and property partitions get IRIs of their own (no blank nodes) so that the description is
deterministic.
"""
from __future__ import annotations

from collections import Counter

from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from .iris import BASE, GRAPHS, PREFIXES, SD, VOID

DATASET = URIRef(BASE + "void#dataset")
LICENSE = URIRef("https://creativecommons.org/licenses/by-sa/4.0/")
SOURCE = URIRef("https://en.wikipedia.org/wiki/Automotive_Energy_Supply_Corporation")


def void_graph(dataset: Dataset, endpoint: str | None = None) -> Graph:
    """Describe ``dataset``; name the SPARQL endpoint when it is served."""
    void = Graph()
    for prefix in ("void", "dcterms", "sd", "xsd"):
        void.bind(prefix, PREFIXES.get(prefix, DCTERMS if prefix == "dcterms" else XSD))
    union = Graph()
    for iri in GRAPHS:
        union += dataset.graph(iri)
    _describe(void, DATASET, union)
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
        _describe(void, subset, dataset.graph(iri))
    return void


def _describe(void: Graph, node: URIRef, graph: Graph) -> None:
    void.add((node, RDF.type, VOID.Dataset))
    classes = Counter(o for o in graph.objects(None, RDF.type))
    properties = Counter(p for p in graph.predicates())
    void.add((node, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
    void.add((node, VOID.distinctSubjects, Literal(len(set(graph.subjects())), datatype=XSD.integer)))
    void.add((node, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    void.add((node, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    for kind, counts, key in (("class", classes, VOID["class"]), ("property", properties, VOID.property)):
        for term, count in sorted(counts.items()):
            part = URIRef(f"{node}-{kind}-{_slug(term)}")
            void.add((node, VOID.classPartition if kind == "class" else VOID.propertyPartition, part))
            void.add((part, key, term))
            void.add((part, VOID.entities if kind == "class" else VOID.triples, Literal(count, datatype=XSD.integer)))


def _slug(term: URIRef) -> str:
    for prefix, namespace in PREFIXES.items():
        if term.startswith(namespace):
            return f"{prefix}.{term[len(namespace):]}"
    return str(abs(hash(str(term))))  # pragma: no cover - every term we use has a prefix
