"""What the endpoint says about itself: SPARQL 1.1 Service Description and VoID.

Service Description (https://www.w3.org/TR/sparql11-service-description/) answers ``GET /sparql``
without a query: the endpoint, the language, the result formats (W3C format IRIs,
https://www.w3.org/ns/formats/), the union default graph and the named graphs, each with its
``void:triples`` count. The VoID description (https://www.w3.org/TR/void/) is merged in, and its
top dataset *is* the ``sd:defaultDataset`` node, so a client can follow either vocabulary.
"""
from __future__ import annotations

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS

from graph.formats import FORMATS
from graph.iris import SD, VOID

W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
W3C_FORMAT_NAMES = {  # our short name -> the W3C format IRI's local name
    "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML", "trig": "TriG", "nquads": "N-Quads",
}


def service_description(store, endpoint: str, void_url: str, federation: bool = False) -> Graph:
    """The SD graph of ``store`` served at ``endpoint`` (an absolute URL)."""
    g = _bound(Graph())
    void = store.void()
    g += void
    service = BNode()
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if federation:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    for fmt in FORMATS:
        if fmt.name in W3C_FORMAT_NAMES:
            g.add((service, SD.resultFormat, W3C_FORMATS[W3C_FORMAT_NAMES[fmt.name]]))
    dataset = _top_dataset(void) or BNode()
    g.add((service, SD.defaultDataset, dataset))
    _describe_dataset(g, dataset, store)
    g.add((dataset, RDFS.seeAlso, URIRef(void_url)))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    return g


def _describe_dataset(g: Graph, dataset, store) -> None:
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(store.triples())))
    for name, count in store.graphs().items():
        named, graph = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, name))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(count)))


def _top_dataset(void: Graph):
    """The void:Dataset that is nobody's subset (the whole dataset), if there is exactly one."""
    tops = [d for d in void.subjects(RDF.type, VOID.Dataset) if (None, VOID.subset, d) not in void]
    return tops[0] if len(tops) == 1 else None


def void_description(store, endpoint: str) -> Graph:
    """The store's VoID, naming the endpoint that serves it."""
    g = _bound(Graph()) + store.void()
    top = _top_dataset(g)
    if top is not None:
        g.add((top, VOID.sparqlEndpoint, URIRef(endpoint)))
    return g


def void_of(store, void_url: str | None = None) -> Graph:
    """A minimal VoID description from the store's counts (for stores without a richer one)."""
    g = _bound(Graph())
    dataset = URIRef(f"{void_url}#dataset") if void_url else BNode()
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, VOID.triples, Literal(store.triples())))
    for name, count in store.graphs().items():
        g.add((dataset, VOID.subset, name))
        g.add((name, RDF.type, VOID.Dataset))
        g.add((name, VOID.triples, Literal(count)))
    return g


def _bound(g: Graph) -> Graph:
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", W3C_FORMATS)
    return g
