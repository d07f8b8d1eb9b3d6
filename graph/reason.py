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
_UNSUPPORTED_TYPES = frozenset((OWL.Restriction, OWL.InverseFunctionalProperty, OWL.AllDisjointClasses,
                      OWL.AllDisjointProperties, OWL.AsymmetricProperty, OWL.IrreflexiveProperty))
# ... and as predicates.
_UNSUPPORTED_PREDICATES = frozenset((
    OWL.unionOf, OWL.intersectionOf, OWL.hasKey, OWL.propertyChainAxiom, OWL.oneOf, OWL.complementOf,
    OWL.disjointWith, OWL.propertyDisjointWith, OWL.differentFrom, OWL.hasValue, OWL.someValuesFrom,
    OWL.allValuesFrom))


def infer(ontology: Graph, asserted, engine: str = "rules") -> Graph:
    """What OWL 2 RL adds to ontology + facts (a graph or any iterable of triples), as a graph."""
    inferred = Graph()
    inferred.addN((s, p, o, inferred) for s, p, o in infer_triples(ontology, asserted, engine))
    return inferred


def infer_triples(ontology: Graph, asserted, engine: str = "rules") -> list[tuple]:
    """The inferred triples, minus the input and minus noise, as a list (no graph is built)."""
    asserted = asserted if isinstance(asserted, (list, tuple, set, frozenset)) else list(asserted)
    added = _added_by_rules(ontology, asserted) if engine == "rules" else None
    if added is None:
        facts = Graph()
        facts.addN((s, p, o, facts) for s, p, o in asserted)
        given = set(ontology)
        given.update(asserted)
        added = [t for t in _closure_owlrl(ontology, facts) if t not in given]
    return [t for t in added if not is_noise(t)]


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


def _added_by_rules(ontology: Graph, asserted: list):
    """What the closure adds to the input, or None when the engine cannot match owlrl exactly.

    Terms are numbered first: the fixpoint then hashes tuples of small ints, not rdflib terms
    (a Literal hashes in Python code), which is what makes 10^6 triples affordable.
    """
    tbox = _closure_owlrl(ontology, Graph())
    if _uses(tbox) or _uses(asserted):
        return None
    codec = _Codec()
    schema = _Schema(tbox, codec)
    given = {codec.triple(t) for t in ontology}
    given.update(codec.triple(t) for t in asserted)
    if schema.has_functional_conflict(codec.triple(t) for t in asserted):
        return None
    known = set(given)
    known.update(codec.triple(t) for t in tbox)
    return [codec.decode(t) for t in schema.saturate(known) - given]


class _Codec:
    """Numbers terms: term -> int and back; remembers which numbers are literals."""

    def __init__(self):
        self.ids: dict = {}
        self.terms: list = []
        self.literals: set[int] = set()

    def __call__(self, term) -> int:
        found = self.ids.get(term)
        if found is None:
            found = self.ids[term] = len(self.terms)
            self.terms.append(term)
            if isinstance(term, Literal):
                self.literals.add(found)
        return found

    def triple(self, triple) -> tuple[int, int, int]:
        return self(triple[0]), self(triple[1]), self(triple[2])

    def decode(self, triple) -> tuple:
        terms = self.terms
        return terms[triple[0]], terms[triple[1]], terms[triple[2]]


class _Schema:
    """The instance rules a closed TBox can fire, as lookup tables over term numbers."""

    def __init__(self, tbox: Graph, codec: _Codec):
        self.type = codec(RDF.type)
        self.literals = codec.literals  # shared: it grows as the codec numbers new literals
        self.superclasses = _table(tbox, RDFS.subClassOf, codec)
        self.superproperties = _table(tbox, RDFS.subPropertyOf, codec)
        self.domains = _table(tbox, RDFS.domain, codec)
        self.ranges = _table(tbox, RDFS.range, codec)
        self.inverses = _table(tbox, OWL.inverseOf, codec)
        for p, qs in list(self.inverses.items()):
            for q in qs:
                self.inverses[q].add(p)
        self.symmetric = {codec(s) for s in tbox.subjects(RDF.type, OWL.SymmetricProperty)}
        self.transitive = {codec(s) for s in tbox.subjects(RDF.type, OWL.TransitiveProperty)}
        self.functional = {codec(s) for s in tbox.subjects(RDF.type, OWL.FunctionalProperty)}

    def has_functional_conflict(self, triples) -> bool:
        """True when a functional property has two values for one subject (owlrl would equate them)."""
        seen = {}
        for s, p, o in triples:
            if p in self.functional and seen.setdefault((s, p), o) != o:
                return True
        return False

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
        if p == self.type:
            for cls in self.superclasses.get(o, ()):
                yield s, p, cls
            return
        for q in self.superproperties.get(p, ()):
            yield s, q, o
        for cls in self.domains.get(p, ()):
            yield s, self.type, cls
        if o in self.literals:
            return  # rules with the object as subject would make literal subjects: noise
        for cls in self.ranges.get(p, ()):
            yield o, self.type, cls
        for q in self.inverses.get(p, ()):
            yield o, q, s
        if p in self.symmetric:
            yield o, p, s
        if p in self.transitive:
            for after in list(forward.get((p, o), ())):
                yield s, p, after
            for before in list(backward.get((p, s), ())):
                yield before, p, o


def _uses(triples) -> bool:
    """True when the triples use an OWL feature the rules engine leaves to owlrl."""
    for s, p, o in triples:
        if p in _UNSUPPORTED_PREDICATES or (p == RDF.type and o in _UNSUPPORTED_TYPES):
            return True
        if p == OWL.sameAs and s != o:  # owlrl itself adds x sameAs x everywhere
            return True
    return False


def _table(graph: Graph, predicate, codec: _Codec) -> dict:
    table = defaultdict(set)
    for s, o in graph.subject_objects(predicate):
        if s != o:
            table[codec(s)].add(codec(o))
    return dict(table) if predicate != OWL.inverseOf else table
