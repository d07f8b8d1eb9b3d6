"""OWL 2 RL materialisation (https://www.w3.org/TR/owl2-profiles/#OWL_2_RL).

Two engines give the same inferred graph:

- ``owlrl``: the reference, owlrl's naive fixpoint over the whole graph. Exact but slow
  (seconds at 10^4 triples, minutes beyond).
- ``rules`` (default): owlrl closes the ontology alone (the TBox, small); the instance-level
  rules that this TBox can fire are then applied semi-naively, each new triple being joined once
  with what is already known: class and property hierarchy (cax-sco, prp-spo1, equivalences
  through their subclass/subproperty closure), domain and range (prp-dom, prp-rng), inverse,
  symmetric and transitive properties (prp-inv, prp-symp, prp-trp). Rules it does not implement
  (equality, restrictions, keys, property chains) make it hand the whole job to owlrl, so the
  result never silently differs.

Reasoning runs on a copy; the result is only what was added, minus the trivial triples owlrl
derives for every graph (see ``is_noise``).
"""
from __future__ import annotations

from collections import defaultdict

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

_VOCABULARY_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
_REFLEXIVE = (OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty)
_TOP = (OWL.Thing, RDFS.Resource, OWL.Class, RDFS.Class)
_TOWARDS_TOP = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)
# TBox features whose instance rules the "rules" engine does not implement: as classes ...
_UNSUPPORTED_TYPES = (OWL.Restriction, OWL.InverseFunctionalProperty, OWL.AllDisjointClasses,
                      OWL.AllDisjointProperties, OWL.AsymmetricProperty, OWL.IrreflexiveProperty)
# ... and as predicates.
_UNSUPPORTED_PREDICATES = (OWL.unionOf, OWL.intersectionOf, OWL.hasKey, OWL.propertyChainAxiom, OWL.oneOf,
                           OWL.complementOf, OWL.disjointWith, OWL.propertyDisjointWith, OWL.differentFrom, OWL.hasValue, OWL.someValuesFrom, OWL.allValuesFrom)


def infer(ontology: Graph, asserted: Graph, engine: str = "rules") -> Graph:
    """What OWL 2 RL adds to ontology + facts, minus the input and minus noise."""
    closure = _closure_rules(ontology, asserted) if engine == "rules" else None
    if closure is None:
        closure = _closure_owlrl(ontology, asserted)
    given = set(ontology)
    given.update(asserted)
    inferred = Graph()
    inferred.addN((s, p, o, inferred) for s, p, o in closure if (s, p, o) not in given and not is_noise((s, p, o)))
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


def _closure_owlrl(ontology: Graph, asserted: Graph):
    closure = Graph()
    closure += ontology
    closure += asserted
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closure)
    return closure


def _closure_rules(ontology: Graph, asserted: Graph):
    """The closure as a set of triples, or None when the engine cannot match owlrl exactly."""
    tbox = _closure_owlrl(ontology, Graph())
    if _uses(tbox) or _uses(asserted):
        return None
    schema = _Schema(tbox)
    if schema.has_functional_conflict(asserted):
        return None
    known = set(tbox)
    known.update(asserted)
    return schema.saturate(known)


class _Schema:
    """The instance rules a closed TBox can fire, as lookup tables."""

    def __init__(self, tbox: Graph):
        self.superclasses = _table(tbox, RDFS.subClassOf)
        self.superproperties = _table(tbox, RDFS.subPropertyOf)
        self.domains = _table(tbox, RDFS.domain)
        self.ranges = _table(tbox, RDFS.range)
        self.inverses = _table(tbox, OWL.inverseOf)
        for p, qs in list(self.inverses.items()):
            for q in qs:
                self.inverses[q].add(p)
        self.symmetric = set(tbox.subjects(RDF.type, OWL.SymmetricProperty))
        self.transitive = set(tbox.subjects(RDF.type, OWL.TransitiveProperty))
        self.functional = set(tbox.subjects(RDF.type, OWL.FunctionalProperty))

    def has_functional_conflict(self, graph: Graph) -> bool:
        """True when a functional property has two values for one subject (owlrl would equate them)."""
        return any(len(set(graph.objects(s, p))) > 1 for p in self.functional for s in set(graph.subjects(p)))

    def saturate(self, known: set) -> set:
        """Semi-naive forward chaining: each triple is used once, as it becomes new."""
        forward, backward = defaultdict(set), defaultdict(set)  # transitive: (p, s) -> o, (p, o) -> s
        for s, p, o in known:
            if p in self.transitive:
                forward[p, s].add(o)
                backward[p, o].add(s)
        pending = list(known)
        while pending:
            for triple in self._consequences(pending.pop(), forward, backward):
                if triple not in known:
                    known.add(triple)
                    pending.append(triple)
                    if triple[1] in self.transitive:
                        forward[triple[1], triple[0]].add(triple[2])
                        backward[triple[1], triple[2]].add(triple[0])
        return known

    def _consequences(self, triple, forward, backward):
        s, p, o = triple
        if p == RDF.type:
            for cls in self.superclasses.get(o, ()):
                yield s, RDF.type, cls
            return
        for q in self.superproperties.get(p, ()):
            yield s, q, o
        for cls in self.domains.get(p, ()):
            yield s, RDF.type, cls
        if isinstance(o, Literal):
            return  # rules with the object as subject would make literal subjects: noise
        for cls in self.ranges.get(p, ()):
            yield o, RDF.type, cls
        for q in self.inverses.get(p, ()):
            yield o, q, s
        if p in self.symmetric:
            yield o, p, s
        if p in self.transitive:
            for after in list(forward.get((p, o), ())):
                yield s, p, after
            for before in list(backward.get((p, s), ())):
                yield before, p, o


def _uses(graph: Graph) -> bool:
    """True when the graph uses an OWL feature the rules engine leaves to owlrl."""
    return any((None, RDF.type, cls) in graph for cls in _UNSUPPORTED_TYPES) or \
        any((None, p, None) in graph for p in _UNSUPPORTED_PREDICATES) or \
        any(s != o for s, o in graph.subject_objects(OWL.sameAs))  # owlrl adds x sameAs x everywhere


def _table(graph: Graph, predicate) -> dict:
    table = defaultdict(set)
    for s, o in graph.subject_objects(predicate):
        if s != o:
            table[s].add(o)
    return table
