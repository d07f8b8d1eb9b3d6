"""The pipeline: load -> validate (SHACL) -> reason (OWL 2 RL) -> dataset, and its failure modes.

Uses the session ``dataset`` (one build of the shipped graph) and the fixtures in tests/data:
``minimal/`` (a valid fact set), ``invalid/`` (one SHACL violation each) and ``badfiles/`` (files
the loader must reject with ``file:line:``).
"""
from __future__ import annotations

import importlib
import inspect
import re
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, XSD

import graph
from graph import ASSERTED, GRAPHS, INFERRED, ONTOLOGY, FactFileError, ValidationError
from graph.iris import FACTS_DIR, ID, KG, ONTOLOGY_DIR, ORG, PROV, SCHEMA
from graph.load import load, load_shapes
from graph.reason import infer, is_noise

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

DATA = Path(__file__).resolve().parent / "data"
MINIMAL = DATA / "minimal"
SH = "http://www.w3.org/ns/shacl#"

AESC = ID["company/aesc"]
EX = "http://example.org/"


def _header_line(path: Path) -> int:
    """The line a loader error must name, from the fixture's ``# line: N`` header."""
    match = re.match(r"# line: (\d+)", path.read_text(encoding="utf-8"))
    assert match, f"{path} lacks its '# line: N' header"
    return int(match.group(1))


# --- 1. Pipeline steps ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def loaded():
    return load()


@pytest.mark.parametrize("iri", [ONTOLOGY, ASSERTED], ids=["ontology", "asserted"])
def test_load_fills_ontology_and_asserted(loaded, iri):
    assert len(loaded.graph(iri)) > 100


def test_load_does_not_reason(loaded):
    assert len(loaded.graph(INFERRED)) == 0


def test_load_keeps_shapes_out_of_the_dataset(loaded):
    shape = URIRef(SH + "NodeShape")
    assert not [iri for iri in GRAPHS if (None, RDF.type, shape) in loaded.graph(iri)]
    assert len(set(load_shapes().subjects(RDF.type, shape))) > 10


def test_load_puts_facts_in_asserted_and_vocabulary_in_ontology(loaded):
    ontology, asserted = loaded.graph(ONTOLOGY), loaded.graph(ASSERTED)
    assert (KG.Plant, RDF.type, OWL.Class) in ontology
    assert (KG.Plant, RDF.type, OWL.Class) not in asserted
    assert (AESC, RDF.type, KG.JointVenture) in asserted
    assert (AESC, RDF.type, KG.JointVenture) not in ontology


def test_validate_returns_conforms_report_and_text(loaded):
    conforms, report, text = graph.validate(loaded.graph(ASSERTED), load_shapes(), loaded.graph(ONTOLOGY))
    assert conforms is True
    assert isinstance(report, Graph)
    assert (None, URIRef(SH + "conforms"), Literal(True)) in report
    assert text.splitlines()[0].startswith("0 violation(s), ")


def test_validate_reports_violations_without_raising(facts_dir):
    dataset = load(facts_dir=facts_dir(DATA / "invalid" / "stake-percentage-150.ttl"))
    conforms, report, text = graph.validate(dataset.graph(ASSERTED), load_shapes(), dataset.graph(ONTOLOGY))
    assert conforms is False
    assert text.startswith("1 violation(s), 0 warning(s)")
    assert (None, URIRef(SH + "resultSeverity"), URIRef(SH + "Violation")) in report


def test_infer_adds_only_new_triples(dataset):
    inferred = set(dataset.graph(INFERRED))
    assert inferred, "the reasoner added nothing"
    assert not inferred & set(dataset.graph(ONTOLOGY))
    assert not inferred & set(dataset.graph(ASSERTED))


def test_infer_on_a_tiny_graph():
    ex = lambda name: URIRef(EX + name)  # noqa: E731
    ontology, asserted = Graph(), Graph()
    ontology.add((ex("B"), RDFS.subClassOf, ex("A")))
    ontology.add((ex("p"), OWL.inverseOf, ex("q")))
    ontology.add((ex("p"), RDF.type, OWL.ObjectProperty))
    asserted.add((ex("x"), RDF.type, ex("B")))
    asserted.add((ex("x"), ex("p"), ex("y")))
    inferred = infer(ontology, asserted)
    assert (ex("x"), RDF.type, ex("A")) in inferred
    assert (ex("y"), ex("q"), ex("x")) in inferred
    assert not set(inferred) & (set(ontology) | set(asserted))
    assert not [t for t in inferred if is_noise(t)]
    assert (ex("x"), OWL.sameAs, ex("x")) not in inferred


def test_reasoning_engines_agree(dataset):
    """When graph.reason offers several engines, the reference (owlrl) one gives the build's graph."""
    engine = inspect.signature(infer).parameters.get("engine")
    if engine is None:
        pytest.skip("graph.reason.infer has a single engine")
    reference = infer(dataset.graph(ONTOLOGY), dataset.graph(ASSERTED), engine="owlrl")
    assert set(reference) == set(dataset.graph(INFERRED))


@pytest.mark.parametrize("size", [1_000, 10_000])
def test_rules_engine_equals_owlrl_on_synthetic_data(size):
    """The fast engine's closure is owlrl's, triple for triple, on generated facts (issue 5)."""
    from benchmarks.synth import generate
    from graph.load import load_triples
    from graph.reason import infer_triples
    ontology, _ = load_triples()
    facts = list(generate(size))
    assert set(infer_triples(ontology, facts, engine="rules")) == set(infer_triples(ontology, facts, engine="owlrl"))


def test_rules_engine_hands_unsupported_axioms_to_owlrl():
    """A TBox feature the rules engine does not implement (here a property chain) must still be
    reasoned exactly: the engine defers to owlrl instead of silently missing inferences."""
    from graph.reason import infer_triples
    ex = "http://example.org/"
    ontology = Graph().parse(data=f"""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix ex: <{ex}> .
        ex:uncle owl:propertyChainAxiom ( ex:parent ex:brother ) .""", format="turtle")
    facts = [(URIRef(ex + "a"), URIRef(ex + "parent"), URIRef(ex + "b")),
             (URIRef(ex + "b"), URIRef(ex + "brother"), URIRef(ex + "c"))]
    assert (URIRef(ex + "a"), URIRef(ex + "uncle"), URIRef(ex + "c")) in set(infer_triples(ontology, facts))


def test_dataset_has_exactly_the_three_named_graphs(dataset):
    named = {g.identifier for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier}
    assert named == set(GRAPHS)
    assert all(len(dataset.graph(iri)) > 0 for iri in GRAPHS)
    assert len(dataset.default_graph) == 0, "triples outside the named graphs"


def test_named_graphs_are_disjoint_and_sum_to_the_dataset(dataset):
    ontology, asserted, inferred = (set(dataset.graph(iri)) for iri in GRAPHS)
    assert not ontology & asserted
    assert len(list(dataset.quads((None, None, None, None)))) == len(ontology) + len(asserted) + len(inferred)


@pytest.mark.parametrize("graph_iri, triple", [
    pytest.param(ONTOLOGY, (KG.Plant, RDF.type, OWL.Class), id="ontology"),
    pytest.param(ASSERTED, (AESC, RDF.type, KG.JointVenture), id="asserted"),
    pytest.param(INFERRED, (AESC, RDF.type, SCHEMA.Organization), id="inferred"),
])
def test_default_graph_is_the_union(dataset, graph_iri, triple):
    assert triple in dataset.graph(graph_iri)
    ask = "ASK { ?s ?p ?o }"
    assert dataset.query(ask, initBindings=dict(zip(("s", "p", "o"), triple))).askAnswer


def test_default_graph_query_counts_every_triple(dataset):
    count = int(next(iter(dataset.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0])
    assert count == len(set().union(*(set(dataset.graph(iri)) for iri in GRAPHS)))


def test_minimal_fact_set_builds(facts_dir):
    messages = []
    dataset = graph.build(facts_dir=facts_dir(), progress=messages.append)
    assert [m.split()[0] for m in messages] == ["loading", "validating", "reasoning"]
    company = ID["company/test-acme"]
    assert (company, RDF.type, KG.Company) in dataset.graph(ASSERTED)
    assert (company, RDF.type, SCHEMA.Organization) in dataset.graph(INFERRED)
    assert (ID["company/test-beta"], KG.holds, ID["stake/test-beta-in-acme"]) in dataset.graph(INFERRED)
    inferred = set(dataset.graph(INFERRED))
    assert not inferred & (set(dataset.graph(ONTOLOGY)) | set(dataset.graph(ASSERTED)))
    assert not [t for t in inferred if is_noise(t)]


# --- 2. What OWL RL adds, and the noise it must not keep -----------------------------------------

@pytest.mark.parametrize("node, cls", [
    pytest.param(AESC, SCHEMA.Organization, id="aesc-schema-Organization"),
    pytest.param(AESC, ORG.FormalOrganization, id="aesc-org-FormalOrganization"),
    pytest.param(AESC, KG.Company, id="aesc-kg-Company"),
    pytest.param(AESC, KG.Organization, id="aesc-kg-Organization"),
    pytest.param(AESC, PROV.Agent, id="aesc-prov-Agent"),
    pytest.param(ID["plant/zama"], ORG.Site, id="zama-org-Site"),
    pytest.param(ID["plant/zama"], SCHEMA.Place, id="zama-schema-Place"),
    pytest.param(ID["stake/nissan-2008"], PROV.Entity, id="stake-prov-Entity"),
    pytest.param(ID["event/2008-establishment"], KG.Event, id="establishment-kg-Event"),
    pytest.param(ID["event/2008-establishment"], SCHEMA.Event, id="establishment-schema-Event"),
])
def test_inferred_types(dataset, node, cls):
    assert (node, RDF.type, cls) not in dataset.graph(ASSERTED), "asserted, so not a test of the reasoner"
    assert (node, RDF.type, cls) in dataset.graph(INFERRED)


@pytest.mark.parametrize("node, place", [
    pytest.param("place/zama", "place/japan", id="zama-in-japan"),
    pytest.param("place/sagamihara", "place/japan", id="sagamihara-in-japan"),
    pytest.param("place/jiangyin", "place/china", id="jiangyin-in-china-three-hops"),
    pytest.param("place/sunderland", "place/united-kingdom", id="sunderland-in-uk"),
])
def test_located_in_is_transitive(dataset, node, place):
    triple = (ID[node], KG.locatedIn, ID[place])
    assert triple not in dataset.graph(ASSERTED)
    assert triple in dataset.graph(INFERRED)


def test_holds_is_the_inverse_of_holder(dataset):
    asserted, inferred = dataset.graph(ASSERTED), dataset.graph(INFERRED)
    pairs = list(asserted.subject_objects(KG.holder))
    assert len(pairs) >= 5
    for stake, holder in pairs:
        assert (holder, KG.holds, stake) in inferred, f"{holder} kg:holds {stake} missing"


def test_source_sentence_implies_was_derived_from(dataset):
    asserted, inferred = dataset.graph(ASSERTED), dataset.graph(INFERRED)
    pairs = list(asserted.subject_objects(KG.sourceSentence))
    assert len(pairs) > 100
    missing = [(s, o) for s, o in pairs if (s, PROV.wasDerivedFrom, o) not in inferred]
    assert not missing


NOISE_QUERIES = {
    "reflexive-sameAs": "ASK { ?x owl:sameAs ?x }",
    "reflexive-subClassOf": "ASK { ?x rdfs:subClassOf ?x }",
    "reflexive-equivalentClass": "ASK { ?x owl:equivalentClass ?x }",
    "vocabulary-subject": """ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?s), STR(rdf:)) || STRSTARTS(STR(?s), STR(rdfs:))
                                   || STRSTARTS(STR(?s), STR(owl:)) || STRSTARTS(STR(?s), STR(xsd:))) }""",
    "type-owl-Thing": "ASK { ?x a owl:Thing }",
    "type-rdfs-Resource": "ASK { ?x a rdfs:Resource }",
    "domain-owl-Thing": "ASK { ?p rdfs:domain owl:Thing }",
    "range-owl-Thing": "ASK { ?p rdfs:range owl:Thing }",
    "subClassOf-owl-Thing": "ASK { ?c rdfs:subClassOf owl:Thing }",
    "literal-subject": "ASK { ?s ?p ?o FILTER(isLiteral(?s)) }",
}


@pytest.mark.parametrize("query", NOISE_QUERIES.values(), ids=NOISE_QUERIES.keys())
def test_inferred_graph_has_no_noise(dataset, query):
    inferred = dataset.graph(INFERRED)
    assert not inferred.query(query, initNs={"owl": OWL, "rdfs": RDFS, "rdf": RDF, "xsd": XSD}).askAnswer


def test_no_literal_subjects_in_inferred(dataset):
    # SPARQL cannot always bind a literal subject; check the triples themselves too.
    assert not [t for t in dataset.graph(INFERRED) if isinstance(t[0], Literal)]


IS_NOISE = [
    # (triple, noise?, id)
    ((URIRef(EX + "a"), OWL.sameAs, URIRef(EX + "a")), True, "reflexive-sameAs"),
    ((URIRef(EX + "a"), OWL.sameAs, URIRef(EX + "b")), False, "sameAs-two-nodes"),
    ((KG.Plant, RDFS.subClassOf, KG.Plant), True, "reflexive-subClassOf"),
    ((KG.holder, RDFS.subPropertyOf, KG.holder), True, "reflexive-subPropertyOf"),
    ((KG.Plant, OWL.equivalentClass, KG.Plant), True, "reflexive-equivalentClass"),
    ((KG.holder, OWL.equivalentProperty, KG.holder), True, "reflexive-equivalentProperty"),
    ((KG.Company, RDFS.subClassOf, KG.Organization), False, "real-subClassOf"),
    ((RDF.type, RDF.type, RDF.Property), True, "rdf-subject"),
    ((RDFS.label, RDF.type, OWL.AnnotationProperty), True, "rdfs-subject"),
    ((OWL.Thing, RDF.type, OWL.Class), True, "owl-subject"),
    ((XSD.decimal, RDF.type, RDFS.Datatype), True, "xsd-subject"),
    ((URIRef(EX + "a"), RDF.type, OWL.Thing), True, "type-owl-Thing"),
    ((URIRef(EX + "a"), RDF.type, RDFS.Resource), True, "type-rdfs-Resource"),
    ((URIRef(EX + "a"), RDF.type, KG.Plant), False, "type-kg-Plant"),
    ((KG.holder, RDFS.domain, OWL.Thing), True, "domain-owl-Thing"),
    ((KG.holder, RDFS.range, RDFS.Resource), True, "range-rdfs-Resource"),
    ((KG.Plant, RDFS.subClassOf, OWL.Thing), True, "subClassOf-owl-Thing"),
    ((KG.holder, RDFS.subPropertyOf, OWL.topObjectProperty), True, "subPropertyOf-top-object"),
    ((KG.value, RDFS.subPropertyOf, OWL.topDataProperty), True, "subPropertyOf-top-data"),
    ((KG.holder, RDFS.domain, KG.Stake), False, "real-domain"),
    ((KG.holder, RDFS.range, KG.Organization), False, "real-range"),
    ((Literal("x"), RDF.type, RDFS.Literal), True, "literal-subject"),
    ((Literal(1), OWL.sameAs, Literal(1)), True, "literal-sameAs"),
    ((ID["plant/zama"], KG.locatedIn, ID["place/japan"]), False, "fact"),
    ((ID["plant/zama"], RDFS.label, Literal("Zama plant", lang="en")), False, "label"),
    ((URIRef(EX + "rdf-like"), RDF.type, KG.Plant), False, "iri-mentioning-rdf"),
]


@pytest.mark.parametrize("triple, expected", [(t, e) for t, e, _ in IS_NOISE], ids=[i for *_, i in IS_NOISE])
def test_is_noise(triple, expected):
    assert is_noise(triple) is expected


# --- 3. SHACL shapes: each invalid fixture fails with focus node, path and message ---------------

SHAPE_CASES = [
    # (fixture in tests/data/invalid, focus node, path, the shape's sh:message)
    ("stake-without-holder.ttl", "stake/test-orphan", "kg:holder",
     "A stake needs exactly one kg:holder, an organization."),
    ("stake-percentage-150.ttl", "stake/test-too-much", "kg:percentage",
     "kg:percentage must be one xsd:decimal between 0 and 100 (write 51.0, not 0.51)."),
    ("stake-holder-not-organization.ttl", "stake/test-held-by-a-sentence", "kg:holder",
     "A stake needs exactly one kg:holder, an organization."),
    ("event-without-provenance.ttl", "event/test-unsourced", "kg:sourceSentence",
     "This fact needs kg:sourceSentence pointing to the kg:SourceSentence (in graph/facts/source.ttl) that states it."),
    ("money-currency-xyz.ttl", "money/test-funny-money", "kg:currency",
     "A monetary amount needs one kg:currency, an ISO 4217 code the article uses: JPY, USD, EUR or GBP."),
    ("plant-without-operator.ttl", "plant/test-ghost", "kg:operator",
     "A plant needs at least one kg:operator, an organization."),
    ("sentence-without-text.ttl", "sentence/test-silent", "kg:text",
     "A source sentence needs exactly one kg:text, the verbatim quote."),
]
SHAPE_IDS = [case[0].removesuffix(".ttl") for case in SHAPE_CASES]


def test_every_invalid_fixture_has_a_case():
    assert sorted(p.name for p in (DATA / "invalid").glob("*.ttl")) == sorted(c[0] for c in SHAPE_CASES)


@pytest.mark.parametrize("fixture, focus, path, message", SHAPE_CASES, ids=SHAPE_IDS)
def test_invalid_fixture_fails_validation(facts_dir, fixture, focus, path, message):
    with pytest.raises(ValidationError) as caught:
        graph.build(facts_dir=facts_dir(DATA / "invalid" / fixture))
    text = str(caught.value)
    assert text.startswith("1 violation(s)")
    line = next(line for line in text.splitlines() if line.startswith("Violation: "))
    assert line == f"Violation: <{ID[focus]}> {path}: {message}"


@pytest.mark.parametrize("message", sorted({c[3] for c in SHAPE_CASES}))
def test_expected_messages_are_the_shapes_own(message):
    messages = {str(m) for m in load_shapes().objects(None, URIRef(SH + "message"))}
    assert message in messages


def test_invalid_fixture_fails_next_to_the_shipped_facts(tmp_path):
    folder = tmp_path / "facts"
    shutil.copytree(FACTS_DIR, folder)
    bad = (DATA / "invalid" / "stake-percentage-150.ttl").read_text(encoding="utf-8")
    # The fixture points at the minimal set; repoint it at shipped nodes.
    bad = (bad.replace("company:test-beta", "company:nissan").replace("company:test-acme", "company:aesc")
              .replace("interval:test-from-2020", "interval:from-2018-08").replace("s:test-01", "s:history-19"))
    (folder / "zz-bad.ttl").write_text(bad, encoding="utf-8")
    with pytest.raises(ValidationError, match=r"test-too-much> kg:percentage: kg:percentage must be one"):
        graph.build(facts_dir=folder)


def test_warning_does_not_fail_the_build(facts_dir):
    folder = facts_dir(DATA / "warning-plant-without-country.ttl")
    dataset = load(facts_dir=folder)
    conforms, _, text = graph.validate(dataset.graph(ASSERTED), load_shapes(), dataset.graph(ONTOLOGY))
    assert conforms
    assert text.splitlines() == [
        "0 violation(s), 1 warning(s)",
        f"Warning: <{ID['plant/test-nowhere']}> kg:country: "
        "The plant has no kg:country; add it if the article gives it.",
    ]


# --- 4. Files the loader rejects: file and line --------------------------------------------------

LOADER_CASES = [
    # (fixture in tests/data/badfiles, what the message must say after "path:line: ")
    ("syntax-missing-dot.ttl", "Turtle syntax error: A dot is expected at the end of statements"),
    ("syntax-unterminated-string.ttl", "Turtle syntax error: Line jumps are not allowed in string literals"),
    ("syntax-unbound-prefix.ttl", "Turtle syntax error: The prefix plant: has not been declared"),
    ("syntax-after-long-literal.ttl", "Turtle syntax error:"),
    ("unknown-property.ttl", "unknown property kg:holdr:"),
    ("unknown-class.ttl", "unknown class kg:Compnay:"),
    ("unknown-term.ttl", "unknown term kg:ElectricVehicleBatery:"),
    ("unknown-external-property.ttl", "unknown property schema:name:"),
    ("unknown-property-named-in-comment.ttl", "unknown property kg:holdr:"),
    ("blank-node-object.ttl", "blank node found"),
    ("blank-node-subject.ttl", "blank node found"),
]
LOADER_IDS = [case[0].removesuffix(".ttl") for case in LOADER_CASES]



def test_every_bad_file_has_a_case():
    assert sorted(p.name for p in (DATA / "badfiles").glob("*.ttl")) == sorted(c[0] for c in LOADER_CASES)


@pytest.mark.parametrize("fixture, message", LOADER_CASES, ids=LOADER_IDS)
def test_bad_file_is_rejected_with_file_and_message(facts_dir, fixture, message):
    folder = facts_dir(DATA / "badfiles" / fixture)
    with pytest.raises(FactFileError) as caught:
        graph.build(facts_dir=folder)
    text = str(caught.value)
    match = re.match(r"(.+):(\d+): (.*)", text)
    assert match, text
    assert match.group(1) == str(folder / fixture)
    assert match.group(3).startswith(message)


@pytest.mark.parametrize("fixture", [name for name, _ in LOADER_CASES], ids=LOADER_IDS)
def test_bad_file_error_names_the_right_line(facts_dir, fixture):
    path = DATA / "badfiles" / fixture
    folder = facts_dir(path)
    with pytest.raises(FactFileError) as caught:
        load(facts_dir=folder)
    assert str(caught.value).startswith(f"{folder / fixture}:{_header_line(path)}: ")


def test_bad_ontology_file_is_rejected_with_file_and_line(tmp_path, facts_dir):
    ontology = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY_DIR, ontology)
    with (ontology / "aesc.ttl").open("a", encoding="utf-8") as handle:
        handle.write("\nkg:Broken rdfs:label \"unterminated .\n")
    last = len((ontology / "aesc.ttl").read_text(encoding="utf-8").splitlines())
    with pytest.raises(FactFileError, match=rf"^{re.escape(str(ontology / 'aesc.ttl'))}:{last}: Turtle syntax error"):
        graph.build(ontology_dir=ontology, facts_dir=facts_dir())


def test_empty_facts_folder_is_an_error(tmp_path):
    with pytest.raises(FactFileError, match="no .ttl files found"):
        graph.build(facts_dir=tmp_path)



# --- Validation beside reasoning (large inputs) ------------------------------------------------

def test_parallel_validation_gives_the_same_build(monkeypatch, facts_dir):
    build_module = importlib.import_module("graph.build")  # the package's `build` is the function
    folder = facts_dir()
    sequential = graph.build_graphs(facts_dir=folder)
    monkeypatch.setattr(build_module, "PARALLEL_VALIDATION_FROM", 0)  # as a large input does
    parallel = graph.build_graphs(facts_dir=folder)
    assert {iri: sorted(t) for iri, t in parallel.items()} == {iri: sorted(t) for iri, t in sequential.items()}


def test_parallel_validation_failure_keeps_the_previous_dumps(monkeypatch, facts_dir, tmp_path):
    build_module = importlib.import_module("graph.build")  # the package's `build` is the function
    out = tmp_path / "dumps"
    graph.build_to(out, facts_dir=facts_dir())
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(build_module, "PARALLEL_VALIDATION_FROM", 0)
    folder = tmp_path / "bad-facts"
    shutil.copytree(tmp_path / "facts", folder)
    shutil.copy(DATA / "invalid" / "stake-percentage-150.ttl", folder)
    with pytest.raises(ValidationError, match="between 0 and 100"):
        graph.build_to(out, facts_dir=folder)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad-facts", "dumps", "facts"]
