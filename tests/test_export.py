"""The dumps: every format of graph.formats, VoID counts, JSON-LD context, determinism, atomicity.

``dumps`` (conftest) is one ``graph.build_to`` of the shipped graph; the determinism test builds
twice more in subprocesses with different PYTHONHASHSEED values.
"""
from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

import graph
import graph.export
from graph import GRAPHS, FactFileError, ValidationError
from graph.cli import main
from graph.export import graph_name
from graph.formats import formats_of
from graph.iris import BASE, FACTS_DIR, KG, ROOT, SD, VOID
from graph.void import DATASET as VOID_DATASET

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

DATA = Path(__file__).resolve().parent / "data"

GRAPH_FILES = [(iri, fmt) for iri in GRAPHS for fmt in formats_of("graph")]
GRAPH_IDS = [f"{graph_name(iri)}.{fmt.extension}" for iri, fmt in GRAPH_FILES]
DATASET_FORMATS = formats_of("dataset")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- 7. Files and round trips --------------------------------------------------------------------

def test_format_table_has_graph_and_dataset_formats():
    assert {f.extension for f in formats_of("graph")} == {"ttl", "nt", "jsonld", "rdf"}
    assert {f.extension for f in DATASET_FORMATS} == {"trig", "nq"}


def test_dump_folder_has_exactly_the_expected_files(dumps):
    expected = {f"{graph_name(iri)}.{fmt.extension}" for iri, fmt in GRAPH_FILES}
    expected |= {f"dataset.{fmt.extension}" for fmt in DATASET_FORMATS}
    expected |= {"void.ttl", "shapes.ttl", "wikidata-view.ttl", "schema-view.jsonld"}
    assert {p.name for p in dumps.iterdir()} == expected


@pytest.mark.parametrize("iri, fmt", GRAPH_FILES, ids=GRAPH_IDS)
def test_graph_dump_parses_back_to_the_same_graph(dataset, dumps, iri, fmt):
    parsed = Graph().parse(dumps / f"{graph_name(iri)}.{fmt.extension}", format=fmt.rdflib)
    original = dataset.graph(iri)
    assert len(parsed) == len(original)
    assert set(parsed) == set(original)  # no blank nodes, so set equality is isomorphism


@pytest.mark.parametrize("fmt", DATASET_FORMATS, ids=[f"dataset.{f.extension}" for f in DATASET_FORMATS])
def test_dataset_dump_parses_back_to_the_same_quads(dataset, dumps, fmt):
    parsed = Dataset()
    parsed.parse(dumps / f"dataset.{fmt.extension}", format=fmt.rdflib)
    assert len(list(parsed.quads((None, None, None, None)))) == len(list(dataset.quads((None, None, None, None))))
    named = {g.identifier for g in parsed.graphs() if len(g)}
    assert named == set(GRAPHS)
    for iri in GRAPHS:
        assert set(parsed.graph(iri)) == set(dataset.graph(iri)), graph_name(iri)


def test_load_dump_reads_the_build_back(dataset, dumps):
    loaded = graph.load_dump(dumps)
    for iri in GRAPHS:
        assert set(loaded.graph(iri)) == set(dataset.graph(iri)), graph_name(iri)
    assert loaded.default_union


@pytest.mark.parametrize("name", ["dataset.nq"] + [f"{graph_name(iri)}.nt" for iri in GRAPHS])
def test_line_based_dumps_are_sorted_and_unique(dumps, name):
    lines = (dumps / name).read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines))


def test_shapes_are_shipped_verbatim(dumps):
    assert (dumps / "shapes.ttl").read_bytes() == (Path(ROOT) / "ontology" / "shapes.ttl").read_bytes()


# --- VoID ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def void(dumps) -> Graph:
    return Graph().parse(dumps / "void.ttl", format="turtle")


def _count(void: Graph, node, prop=VOID.triples) -> int:
    values = list(void.objects(node, prop))
    assert len(values) == 1, f"{node} has {len(values)} {prop}"
    return int(values[0])


@pytest.mark.parametrize("iri", GRAPHS, ids=[graph_name(iri) for iri in GRAPHS])
def test_void_subset_counts_match_the_graphs(dataset, void, iri):
    subsets = list(void.subjects(SD.name, iri))
    assert len(subsets) == 1
    subset = subsets[0]
    assert (VOID_DATASET, VOID.subset, subset) in void
    assert _count(void, subset) == len(dataset.graph(iri))
    assert _count(void, subset, VOID.distinctSubjects) == len(set(dataset.graph(iri).subjects()))


def test_void_dataset_count_is_the_union(dataset, void):
    union = set().union(*(set(dataset.graph(iri)) for iri in GRAPHS))
    assert _count(void, VOID_DATASET) == len(union)


def test_void_class_partition_counts_plants(dataset, void):
    partitions = [p for p in void.objects(VOID_DATASET, VOID.classPartition) if (p, VOID["class"], KG.Plant) in void]
    assert len(partitions) == 1
    plants = {s for iri in GRAPHS for s in dataset.graph(iri).subjects(RDF.type, KG.Plant)}
    assert _count(void, partitions[0], VOID.entities) == len(plants) == 16


def test_void_property_partition_counts_source_sentences(dataset, void):
    partitions = [p for p in void.objects(VOID_DATASET, VOID.propertyPartition)
                  if (p, VOID.property, KG.sourceSentence) in void]
    assert len(partitions) == 1
    uses = {t for iri in GRAPHS for t in dataset.graph(iri).triples((None, KG.sourceSentence, None))}
    assert _count(void, partitions[0]) == len(uses)


def test_void_metadata(void):
    assert (VOID_DATASET, RDF.type, VOID.Dataset) in void
    assert (VOID_DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by-sa/4.0/")) in void
    assert (VOID_DATASET, VOID.uriSpace, Literal(BASE + "id/")) in void
    dumps = {str(o).rsplit("/", 1)[-1] for o in void.objects(VOID_DATASET, VOID.dataDump)}
    assert dumps == {"dataset.trig", "dataset.nq"}


# --- JSON-LD -------------------------------------------------------------------------------------

@pytest.mark.parametrize("iri", GRAPHS, ids=[graph_name(iri) for iri in GRAPHS])
def test_jsonld_has_a_readable_context(dumps, iri):
    document = json.loads((dumps / f"{graph_name(iri)}.jsonld").read_text(encoding="utf-8"))
    context = document["@context"]
    assert context["kg"] == str(KG)
    assert context["schema"] == "https://schema.org/"
    assert context["prov"] == "http://www.w3.org/ns/prov#"
    text = json.dumps(document["@graph"])
    assert '"kg:' in text, "terms are not compacted with the context"
    assert str(KG) not in text, "full kg: IRIs left in the body"


def test_asserted_jsonld_uses_compact_terms(dumps):
    document = json.loads((dumps / "asserted.jsonld").read_text(encoding="utf-8"))
    nodes = {node["@id"]: node for node in document["@graph"]}
    aesc = nodes["https://w3id.org/aesc-kg/id/company/aesc"]
    assert aesc["@type"] == "kg:JointVenture"
    assert "kg:sourceSentence" in aesc


# --- 5. Determinism ------------------------------------------------------------------------------

def _cli_build(out: Path, seed: str, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("PYTHONWARNINGS", None)
    env.pop("AESC_KG_BASE", None)
    return subprocess.Popen([sys.executable, "-m", "graph.cli", "build", "--out", str(out), *extra],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_builds_are_byte_identical_across_hash_seeds(tmp_path, dumps):
    runs = {seed: _cli_build(tmp_path / f"seed-{seed}", seed) for seed in ("1", "4242")}
    for seed, process in runs.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert out.startswith(f"built {tmp_path / f'seed-{seed}'} in ")
    first, second = (tmp_path / f"seed-{seed}" for seed in runs)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) == sorted(p.name for p in dumps.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    # ... and the in-process build of this session wrote the same bytes.
    match, mismatch, errors = filecmp.cmpfiles(first, dumps, names, shallow=False)
    assert (mismatch, errors) == ([], [])


# --- 6. Atomicity --------------------------------------------------------------------------------

@pytest.fixture
def previous(tmp_path, dumps) -> Path:
    """A copy of a finished build, as if ``build --out`` had run before."""
    out = tmp_path / "site" / "dumps"
    shutil.copytree(dumps, out)
    return out


@pytest.fixture
def bad_facts(tmp_path) -> Path:
    """The shipped facts plus a stake of 150%."""
    folder = tmp_path / "bad-facts"
    shutil.copytree(FACTS_DIR, folder)
    (folder / "zz-bad.ttl").write_text("""
@prefix kg: <https://w3id.org/aesc-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/aesc-kg/id/stake/test-too-much> a kg:Stake ; rdfs:label "150%"@en ;
    kg:holder <https://w3id.org/aesc-kg/id/company/nissan> ;
    kg:heldCompany <https://w3id.org/aesc-kg/id/company/aesc> ; kg:percentage 150.0 ;
    kg:validDuring <https://w3id.org/aesc-kg/id/interval/from-2018-08> ;
    kg:sourceSentence <https://w3id.org/aesc-kg/id/sentence/history-19> .
""", encoding="utf-8")
    return folder


def _assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    assert _snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name], "stray staging folder left behind"


def test_failed_validation_leaves_previous_output_untouched(previous, bad_facts):
    before = _snapshot(previous)
    with pytest.raises(ValidationError, match="test-too-much"):
        graph.build_to(previous, facts_dir=bad_facts)
    _assert_untouched(previous, before)


def test_bad_turtle_leaves_previous_output_untouched(previous, facts_dir):
    before = _snapshot(previous)
    with pytest.raises(FactFileError):
        graph.build_to(previous, facts_dir=facts_dir(DATA / "badfiles" / "syntax-missing-dot.ttl"))
    _assert_untouched(previous, before)


def test_failure_while_writing_removes_the_staging_folder(previous, facts_dir, monkeypatch):
    """A crash half-way through export (after some files were written) must not leak."""
    def broken_void(dataset, endpoint=None):
        raise OSError("disk full")
    monkeypatch.setattr(graph.export, "void_graph", broken_void)
    before = _snapshot(previous)
    with pytest.raises(OSError, match="disk full"):
        graph.build_to(previous, facts_dir=facts_dir())
    _assert_untouched(previous, before)


def test_cli_build_with_bad_facts_exits_non_zero(previous, bad_facts, capsys):
    before = _snapshot(previous)
    assert main(["build", "--out", str(previous), "--facts", str(bad_facts)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("aesc-kg: 1 violation(s)")
    assert "test-too-much> kg:percentage" in captured.err
    _assert_untouched(previous, before)


def test_rebuild_replaces_previous_output_and_cleans_up(previous, facts_dir):
    (previous / "stale.txt").write_text("from an older build", encoding="utf-8")
    graph.build_to(previous, facts_dir=facts_dir())
    assert not (previous / "stale.txt").exists()
    assert sorted(p.name for p in previous.parent.iterdir()) == [previous.name]
    nq = (previous / "dataset.nq").read_text(encoding="utf-8")
    assert "test-acme" in nq and "/company/aesc>" not in nq


def test_build_into_new_nested_folder(tmp_path, facts_dir):
    out = tmp_path / "a" / "b" / "dumps"
    graph.build_to(out, facts_dir=facts_dir())
    assert (out / "dataset.trig").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["dumps"]


def test_dump_folder_has_the_usual_permissions(tmp_path, facts_dir):
    umask = os.umask(0)
    os.umask(umask)
    reference = tmp_path / "made-by-mkdir"
    reference.mkdir()
    out = tmp_path / "dumps"
    graph.build_to(out, facts_dir=facts_dir())
    assert out.stat().st_mode & 0o777 == reference.stat().st_mode & 0o777 == 0o777 & ~umask
