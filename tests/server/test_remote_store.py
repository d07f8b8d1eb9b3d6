"""Serving from a remote store: the build is pushed into a real Oxigraph server and every canned
query, through :class:`RemoteStore` and through the app's workers, gives the expected answer.

Oxigraph writes numbers in canonical form (``51.0``^^xsd:decimal comes back as ``51``), so results
are compared by value (:func:`graph.push.same_value`), everything else term for term.
"""
from __future__ import annotations

import json
import re

import pytest
from rdflib.util import from_n3

import graph
from graph.push import push, same_value
from graph.queries import load_queries
from server import create_app
from server.errors import QueryError
from server.kg import close_pool
from server.remote_store import NO_GRAPH, RemoteStore, with_values
from tests.canned_results import EXPECTED_DIR
from tests.oxigraph_server import OxigraphServer

QUERIES = load_queries()
OTHER = "http://example.org/not-ours"


@pytest.fixture(scope="module")
def built():
    return graph.build()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory, built):
    server = OxigraphServer(tmp_path_factory.mktemp("remote") / "oxigraph").start()
    push(built, server.store, graph_per_named_graph=True)
    server.put(OTHER, "<http://example.org/secret> <http://example.org/p> \"not ours\" .\n")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def remote(oxigraph):
    from graph.iris import PREFIXES
    return RemoteStore(f"sparql+{oxigraph.query}", PREFIXES, timeout=10)


def reduce(result) -> dict:
    """tests.canned_results.run's reduction, for a Result from any store."""
    if result.type == "ASK":
        return {"boolean": bool(result.askAnswer)}
    if result.type != "SELECT":
        return {"triples": sorted(" ".join(t.n3() for t in triple) for triple in result.graph)}
    return {"vars": [str(v) for v in result.vars],
            "rows": [[None if row[v] is None else row[v].n3() for v in result.vars] for row in result]}


def by_value(reduced: dict, ordered: bool) -> dict:
    """Terms as comparison keys; rows as a multiset unless the query orders them."""
    def key(n3):
        return None if n3 is None else repr(same_value((from_n3(n3),)))
    if "triples" in reduced:
        return {"triples": sorted(repr(same_value(tuple(from_n3(t) for t in _split(line))))
                                  for line in reduced["triples"])}
    if "rows" not in reduced:
        return reduced
    rows = [[key(cell) for cell in row] for row in reduced["rows"]]
    return {"vars": reduced["vars"], "rows": rows if ordered else sorted(rows, key=repr)}


def _split(line: str) -> list[str]:
    return re.findall(r'<[^>]*>|"(?:[^"\\]|\\.)*"(?:\^\^<[^>]*>|@[\w-]+)?', line)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_canned_query_gives_the_expected_answer_from_the_remote_store(remote, name):
    query = QUERIES[name]
    if "SERVICE" in query.sparql:
        pytest.skip("federated: tested in test_federation.py")
    expected = json.loads((EXPECTED_DIR / f"{name}.json").read_text(encoding="utf-8"))
    got = reduce(remote.query(query.sparql, bindings=query.bindings()))
    ordered = "ORDER BY" in query.sparql.upper()
    assert by_value(got, ordered) == by_value(expected, ordered)


@pytest.mark.parametrize("date, holders", [
    ("2008-01-01", {"Nissan": 51, "NEC Corporation": 42, "NEC TOKIN": 7}),
    ("2018-08-01", {"Nissan": 25, "Envision Group": 75}),
    ("2007-06-30", {}),
])
def test_parameters_are_bound_remotely(remote, date, holders):
    query = QUERIES["ownership-on-date"]
    rows = remote.query(query.sparql, bindings=query.bindings({"date": date}))
    assert {str(r.holderLabel): float(r.percentage) for r in rows} == holders


def test_counts_are_those_of_the_build(remote, built):
    assert remote.graphs() == {iri: len(built.graph(iri)) for iri in sorted(graph.GRAPHS)}
    assert remote.triples() == len(set(built.triples((None, None, None))))


def test_graphs_that_are_not_ours_stay_invisible(remote):
    ask = "ASK { <http://example.org/secret> ?p ?o }"
    assert remote.query(ask).askAnswer is False
    assert remote.query(f"ASK FROM <{OTHER}> {{ ?s ?p ?o }}").askAnswer is False
    assert remote.query("ASK { ?s ?p ?o }", [OTHER]).askAnswer is False
    rows = remote.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {str(r.g) for r in rows} == set(map(str, graph.GRAPHS))
    assert remote._ours([OTHER, str(graph.ASSERTED)]) == [NO_GRAPH, str(graph.ASSERTED)]


def test_from_selects_one_of_our_graphs(remote, built):
    count = f"SELECT (COUNT(*) AS ?n) FROM <{graph.INFERRED}> WHERE {{ ?s ?p ?o }}"
    assert int(next(iter(remote.query(count))).n) == len(built.graph(graph.INFERRED))


@pytest.mark.parametrize("text, status", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }", 403),
    ("INSERT DATA { <http://a> <http://b> <http://c> }", 400),
    ("SELECT * WHERE { ?s ?p }", 400),
])
def test_checked_locally_before_sending(remote, text, status):
    with pytest.raises(QueryError) as err:
        remote.query(text)
    assert err.value.status == status


def test_values_open_the_where_group():
    from rdflib import Literal, URIRef as U
    text = 'CONSTRUCT { ?s ?p "WHERE {" } # WHERE {\nWHERE { ?s ?p ?o FILTER(?o < ?x) }'
    sent = with_values(text, {"x": Literal(3), "s": U("http://a/b")})
    assert sent.endswith('WHERE { VALUES (?s ?x) { (<http://a/b> "3"^^<http://www.w3.org/2001/XMLSchema#integer>) } ?s ?p ?o FILTER(?o < ?x) }')
    with pytest.raises(QueryError):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"s": U("http://a> } ; DROP ALL ; {")})


@pytest.fixture(scope="module")
def remote_app(oxigraph):
    app = create_app({"TESTING": True, "STORE": f"sparql+{oxigraph.query}", "QUERY_WORKERS": 2,
                      "QUERY_TIMEOUT": 5, "MAX_ROWS": 100})
    yield app
    close_pool(app)


def test_app_answers_from_the_remote_store_through_guarded_workers(remote_app):
    client = remote_app.test_client()
    response = client.get("/sparql", query_string={"query": "SELECT ?l WHERE { <https://w3id.org/aesc-kg/id/company/aesc> rdfs:label ?l }"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["results"]["bindings"][0]["l"]["value"] == "Automotive Energy Supply Corporation"
    too_many = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert too_many.status_code == 422
    refused = client.get("/sparql", query_string={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }"})
    assert refused.status_code == 403
    described = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert described.status_code == 200 and str(graph.ASSERTED) in described.get_data(as_text=True)


def test_app_canned_query_with_parameter(remote_app):
    client = remote_app.test_client()
    response = client.get("/queries/ownership-on-date.json", query_string={"date": "2019-01-01"})
    assert response.status_code == 200, response.get_data(as_text=True)
    holders = {b["holderLabel"]["value"] for b in response.json["results"]["bindings"]}
    assert holders == {"Nissan", "Envision Group"}


def test_store_without_our_graphs_fails_at_start(tmp_path):
    server = OxigraphServer(tmp_path / "empty").start()
    try:
        with pytest.raises(RuntimeError, match="run `aesc-kg push` first"):
            RemoteStore(f"sparql+{server.query}")
    finally:
        server.stop()


def test_store_down_is_a_502(remote, oxigraph):
    down = RemoteStore.__new__(RemoteStore)
    down.__dict__.update(remote.__dict__, endpoint="http://127.0.0.1:9/query", timeout=2)
    with pytest.raises(QueryError) as err:
        down.query("ASK { ?s ?p ?o }")
    assert err.value.status == 502 and "cannot be reached" in str(err.value)
