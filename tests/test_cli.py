"""The ``aesc-kg`` command line, in-process (``graph.cli.main`` with capsys) and once for real.

Most commands read the session build with ``--data`` (no rebuild); the in-memory path is checked
with the small fact set in tests/data/minimal so that it stays fast.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph

import graph
from graph import GRAPHS
from graph.cli import main
from graph.iris import ID, KG, ROOT

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

DATA = Path(__file__).resolve().parent / "data"
MINIMAL = DATA / "minimal"
PREFIX = "PREFIX kg: <https://w3id.org/aesc-kg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
COUNT_PLANTS = PREFIX + "SELECT (COUNT(DISTINCT ?plant) AS ?n) WHERE { ?plant a kg:Plant }"


@pytest.fixture
def run(capsys):
    """``run(*argv)`` -> (exit code, stdout, stderr) of ``aesc-kg argv`` in this process."""
    def invoke(*argv) -> tuple[int, str, str]:
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return invoke


# --- build ---------------------------------------------------------------------------------------

def test_build_writes_dumps_and_reports_counts(run, tmp_path):
    out = tmp_path / "dumps"
    code, stdout, stderr = run("build", "--out", out, "--facts", MINIMAL)
    assert code == 0, stderr
    match = re.fullmatch(r"built (.+) in [\d.]+ s: triples ontology (\d+), asserted (\d+), inferred (\d+)\n", stdout)
    assert match, stdout
    assert match.group(1) == str(out)
    written = graph.load_dump(out)
    assert [int(n) for n in match.groups()[1:]] == [len(written.graph(iri)) for iri in GRAPHS]
    assert (ID["plant/test-ville"], RDF.type, KG.Plant) in written.graph(graph.ASSERTED)


def test_build_with_bad_file_exits_1_and_names_the_file(run, tmp_path):
    facts = tmp_path / "facts"
    facts.mkdir()
    bad = DATA / "badfiles" / "unknown-class.ttl"
    (facts / bad.name).write_bytes(bad.read_bytes())
    code, stdout, stderr = run("build", "--out", tmp_path / "dumps", "--facts", facts)
    assert code == 1
    assert stdout == ""
    assert stderr.startswith(f"aesc-kg: {facts / bad.name}:8: unknown class kg:Compnay")
    assert not (tmp_path / "dumps").exists()


# --- validate ------------------------------------------------------------------------------------

def test_validate_shipped_facts(run):
    code, stdout, stderr = run("validate")
    assert code == 0, stdout
    assert stdout.splitlines()[0].startswith("0 violation(s), ")
    assert "Violation:" not in stdout


def test_validate_reports_violations_and_exits_1(run, facts_dir):
    folder = facts_dir(DATA / "invalid" / "money-currency-xyz.ttl")
    code, stdout, _ = run("validate", "--facts", folder)
    assert code == 1
    assert stdout.splitlines() == [
        "1 violation(s), 0 warning(s)",
        f"Violation: <{ID['money/test-funny-money']}> kg:currency: A monetary amount needs one kg:currency, "
        "an ISO 4217 code the article uses: JPY, USD, EUR or GBP.",
    ]


def test_validate_with_syntax_error_exits_1(run, facts_dir):
    folder = facts_dir(DATA / "badfiles" / "syntax-missing-dot.ttl")
    code, stdout, stderr = run("validate", "--facts", folder)
    assert code == 1
    assert stderr.startswith(f"aesc-kg: {folder / 'syntax-missing-dot.ttl'}:10: Turtle syntax error")


# --- stats ---------------------------------------------------------------------------------------

def test_stats_lists_graphs_and_classes(run, dumps, dataset):
    code, stdout, _ = run("stats", "--data", dumps)
    assert code == 0
    graphs = dict((iri, int(n)) for n, iri in re.findall(r"^\s+(\d+)\s+<([^>]+)>$", stdout, re.M))
    assert graphs == {str(iri): len(dataset.graph(iri)) for iri in GRAPHS}
    classes = dict((name, int(n)) for n, name in re.findall(r"^\s+(\d+)\s+([a-z][\w-]*:\S+)$", stdout, re.M))
    assert classes["kg:Plant"] == 16
    companies = {s for iri in GRAPHS for s in dataset.graph(iri).subjects(RDF.type, KG.Company)}
    assert classes["kg:Company"] == len(companies)
    counts = list(classes.values())
    assert counts == sorted(counts, reverse=True), "classes are not sorted by count"


def test_stats_in_memory_from_facts(run):
    code, stdout, _ = run("stats", "--facts", MINIMAL)
    assert code == 0
    assert re.search(r"^\s+2\s+kg:Company$", stdout, re.M)
    assert re.search(r"^\s+1\s+kg:Plant$", stdout, re.M)


# --- query ---------------------------------------------------------------------------------------

def test_query_table(run, dumps):
    code, stdout, _ = run("query", "--data", dumps, COUNT_PLANTS)
    assert code == 0
    assert stdout.splitlines() == ["n ", "--", "16", "(1 rows)"]


def test_query_table_aligns_columns(run, dumps):
    query = PREFIX + "SELECT ?plant ?label WHERE { ?plant a kg:Plant ; rdfs:label ?label } ORDER BY ?plant LIMIT 3"
    code, stdout, _ = run("query", "--data", dumps, query)
    assert code == 0
    header, rule, *rows, footer = stdout.splitlines()
    assert header.split() == ["plant", "label"]
    assert footer == "(3 rows)"
    column = rule.index("  -") + 2
    assert all(row[column - 2:column] == "  " and row[column] != " " for row in rows)
    assert rows[0].startswith(str(ID["plant/bowling-green"]))


def test_query_csv(run, dumps):
    code, stdout, _ = run("query", "--data", dumps, "--format", "csv", COUNT_PLANTS)
    assert code == 0
    assert stdout == "n\n16\n"


def test_query_csv_quotes_and_empty_cells(run, dumps):
    query = (PREFIX + 'SELECT ?plant ?city WHERE { ?plant a kg:Plant OPTIONAL { ?plant kg:city ?city } '
             f'FILTER(?plant IN (<{ID["plant/ibaraki"]}>, <{ID["plant/zama"]}>)) }} '
             'ORDER BY ?plant')
    code, stdout, _ = run("query", "--data", dumps, "--format", "csv", query)
    assert code == 0
    assert list(csv.reader(io.StringIO(stdout))) == [
        ["plant", "city"],
        [str(ID["plant/ibaraki"]), ""],
        [str(ID["plant/zama"]), str(ID["place/zama"])],
    ]


def test_query_json(run, dumps):
    code, stdout, _ = run("query", "--data", dumps, "--format", "json", COUNT_PLANTS)
    assert code == 0
    result = json.loads(stdout)
    assert result["head"]["vars"] == ["n"]
    assert [row["n"]["value"] for row in result["results"]["bindings"]] == ["16"]


@pytest.mark.parametrize("fmt, expected", [("table", "true\n"), ("csv", "true\n"), ("json", '{"boolean": true}\n')])
def test_query_ask(run, dumps, fmt, expected):
    ask = PREFIX + f"ASK {{ <{ID['place/zama']}> kg:locatedIn <{ID['place/japan']}> }}"
    code, stdout, _ = run("query", "--data", dumps, "--format", fmt, ask)
    assert (code, stdout) == (0, expected)


def test_query_construct_prints_turtle(run, dumps):
    query = PREFIX + "CONSTRUCT { ?p a kg:Plant } WHERE { ?p a kg:Plant }"
    code, stdout, _ = run("query", "--data", dumps, query)
    assert code == 0
    assert len(Graph().parse(data=stdout, format="turtle")) == 16


def test_query_from_file(run, dumps, tmp_path):
    path = tmp_path / "plants.rq"
    path.write_text("# count the plants\n" + COUNT_PLANTS + "\n", encoding="utf-8")
    code, stdout, _ = run("query", "--data", dumps, "--format", "csv", "--file", path)
    assert (code, stdout) == (0, "n\n16\n")


def test_query_in_memory_build(run):
    code, stdout, _ = run("query", "--facts", MINIMAL, "--format", "csv", COUNT_PLANTS)
    assert (code, stdout) == (0, "n\n1\n")


def test_query_uses_the_given_data_folder(run, tmp_path, dumps):
    """--data reads dataset.nq of that folder and does not rebuild: a two-plant dump says 2."""
    lines = [line for line in (dumps / "dataset.nq").read_text(encoding="utf-8").splitlines()
             if "/plant/zama>" in line or "/plant/douai>" in line]
    assert lines
    (tmp_path / "dataset.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, stdout, _ = run("query", "--data", tmp_path, "--format", "csv", COUNT_PLANTS)
    assert (code, stdout) == (0, "n\n2\n")


@pytest.mark.parametrize("query", [
    pytest.param("SELEC ?x WHERE { ?x ?p ?o }", id="misspelt-keyword"),
    pytest.param("SELECT ?x WHERE { ?x ?p ?o ", id="unclosed-brace"),
    pytest.param("SELECT ?x WHERE { ?x nope:thing ?o }", id="unknown-prefix"),
])
def test_malformed_query_exits_1_with_the_parser_message(run, dumps, query):
    code, stdout, stderr = run("query", "--data", dumps, query)
    assert code == 1
    assert stdout == ""
    assert stderr.startswith("aesc-kg query: ")
    assert re.search(r"Expected|Unknown namespace prefix|ParseException", stderr), stderr


def test_query_without_text_exits_2(run, dumps):
    code, _, stderr = run("query", "--data", dumps)
    assert code == 2
    assert "give the query text or --file" in stderr


def test_unknown_command_is_a_usage_error(run):
    with pytest.raises(SystemExit) as caught:
        run("frobnicate")
    assert caught.value.code == 2


# --- the real thing ------------------------------------------------------------------------------

def _cli(*argv) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONWARNINGS", "AESC_KG_BASE")}
    return subprocess.run([sys.executable, "-m", "graph.cli", *map(str, argv)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_subprocess_query_csv(dumps):
    done = _cli("query", "--data", dumps, "--format", "csv", COUNT_PLANTS)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "n\n16\n"
    assert done.stderr == "", "progress or warnings on a non-terminal stderr"


def test_subprocess_malformed_query_exits_1(dumps):
    done = _cli("query", "--data", dumps, "SELEC nothing")
    assert done.returncode == 1
    assert done.stderr.startswith("aesc-kg query: ParseException")


def test_subprocess_help_lists_the_commands():
    done = _cli("--help")
    assert done.returncode == 0
    for command in ("build", "validate", "stats", "query"):
        assert re.search(rf"^\s+{command}\s", done.stdout, re.M), command


def test_subprocess_query_with_warnings_as_errors(dumps):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONWARNINGS", "AESC_KG_BASE")}
    done = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-m", "graph.cli", "query",
                           "--data", str(dumps), "--format", "csv", COUNT_PLANTS],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, "n\n16\n"), done.stderr


def test_query_from_an_iri_fetches_nothing(capsys):
    """FROM <url> selects a graph of the dataset (here: none, so empty); it is never downloaded."""
    import socket
    import threading
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    connections = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection = server.accept()[0]
            except OSError:
                continue
            connections.append(1)
            connection.close()  # a fetch fails fast instead of hanging the test
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.getsockname()[1]}/data.ttl"
    assert main(["query", f"ASK FROM <{url}> {{ ?s ?p ?o }}"]) == 0
    stop.set()
    thread.join()
    server.close()
    assert connections == [] and capsys.readouterr().out.strip() == "false"
