"""OWL 2 RL materialisation with owlrl (https://www.w3.org/TR/owl2-profiles/#OWL_2_RL).

Reasoning runs on a copy; the result is only what the reasoner added, minus the trivial triples
owlrl derives for every graph (see ``is_noise``).
"""
from __future__ import annotations

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

_VOCABULARY_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
_REFLEXIVE = (OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty)
_TOP = (OWL.Thing, RDFS.Resource, OWL.Class, RDFS.Class)
_TOWARDS_TOP = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)


def infer(ontology: Graph, asserted: Graph) -> Graph:
    """The OWL 2 RL closure of ontology + facts, minus the input and minus noise."""
    closure = Graph()
    closure += ontology
    closure += asserted
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closure)
    inferred = Graph()
    for triple in closure:
        if triple not in ontology and triple not in asserted and not is_noise(triple):
            inferred.add(triple)
    return inferred


def is_noise(triple) -> bool:
    """True for triples that hold in every OWL graph and tell a user nothing about ours.

    - reflexive ``owl:sameAs``, ``rdfs:subClassOf``, ``subPropertyOf``, equivalences (x r x);
    - statements about the RDF, RDFS, OWL and XSD vocabularies themselves;
    - typing to the top classes (``owl:Thing``, ``rdfs:Resource``), and subclass, subproperty,
      domain or range statements that point at the top (``p rdfs:domain owl:Thing``);
    - anything with a literal in subject position (owlrl's datatype bookkeeping).
    """
    s, p, o = triple
    if isinstance(s, Literal):
        return True
    if p in _REFLEXIVE and s == o:
        return True
    if isinstance(s, URIRef) and str(s).startswith(_VOCABULARY_NAMESPACES):
        return True
    if p == RDF.type and o in (OWL.Thing, RDFS.Resource):
        return True
    return p in _TOWARDS_TOP and o in (*_TOP, OWL.topObjectProperty, OWL.topDataProperty)
