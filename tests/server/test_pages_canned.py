"""Canned queries over HTTP: the index, the list for programs, every page and API format.

Parametrised over ``queries/*.rq`` (one id per file) and over the extension table of
:mod:`server.canned`; the app serves the real build (the ``dumps`` of tests/conftest.py). Parameters
must reach the worker pool as RDF terms (``Job.bindings``), and a bad value is a 400 naming it.
"""
from __future__ import annotations

import csv
import io

import pytest
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD

from graph.queries import load_queries
from server import create_app
from server.canned import EXTENSIONS, editor_text, kind_of
from server.execute import decode_bindings, encode_bindings
from server.kg import close_pool

QUERIES = load_queries()
RESULT_TYPES = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
                "xml": "application/sparql-results+xml"}
CONSTRUCT = """# title: Ownership network
# description: Holders, stakes and held companies.
# view: graph
PREFIX kg: <https://w3id.org/aesc-kg/ontology#>
CONSTRUCT { ?h kg:holds ?s . ?s kg:heldCompany ?c } WHERE { ?s kg:holder ?h ; kg:heldCompany ?c }
"""


@pytest.fixture(scope="module")
def construct_client(dumps, tmp_path_factory):
    folder = tmp_path_factory.mktemp("queries")
    (folder / "ownership-network.rq").write_text(CONSTRUCT, encoding="utf-8")
    app = create_app({"TESTING": True, "DATA_DIR": str(dumps), "QUERIES_DIR": str(folder), "QUERY_WORKERS": 1})
    yield app.test_client()
    close_pool(app)


def test_index_lists_every_query(web):
    page = web.get("/queries").get_data(as_text=True)
    for query in QUERIES.values():
        assert f'href="/queries/{query.name}"' in page


def test_listing_for_programs(web):
    listing = web.get("/queries.json").get_json()["queries"]
    assert [q["name"] for q in listing] == list(QUERIES)
    first = listing[0]
    assert {"title", "description", "view", "sparql", "parameters", "kind", "url", "api"} <= set(first)
    assert first["api"]["csv"].endswith(f"/queries/{first['name']}.csv")


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_page_renders_its_result(web, name):
    response = web.get(f"/queries/{name}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert QUERIES[name].title.replace("'", "&#39;") in page
    assert 'id="result-data"' in page and "<script>" not in page  # no inline script
    assert f'data-view="{QUERIES[name].view}"' in page
    first_ext = next(iter(EXTENSIONS[kind_of(QUERIES[name].sparql)]))
    assert "Edit this query" in page and f"/queries/{name}.{first_ext}" in page


GRAPH_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
               "rdf": "application/rdf+xml"}
CASES = [(name, ext) for name, q in QUERIES.items() for ext in EXTENSIONS[kind_of(q.sparql)]]


@pytest.mark.parametrize("name,ext", CASES, ids=[f"{n}.{e}" for n, e in CASES])
def test_every_query_answers_every_format_of_its_kind(web, name, ext):
    response = web.get(f"/queries/{name}.{ext}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == {**RESULT_TYPES, **GRAPH_TYPES}[ext]
    if ext == "json":
        assert "results" in response.get_json(force=True)


def test_parameters_are_bound_from_the_url(web):
    rows = web.get("/queries/ownership-on-date.json?date=2019-06-01").get_json(force=True)["results"]["bindings"]
    holders = {row["holderLabel"]["value"] for row in rows}
    assert holders == {"Envision Group", "Nissan"}
    early = web.get("/queries/ownership-on-date.csv?date=2012-01-01").get_data(as_text=True)
    assert {row["holderLabel"] for row in csv.DictReader(io.StringIO(early))} >= {"Nissan"}


@pytest.mark.parametrize("url", ["/queries/ownership-on-date.json?date=yesterday",
                                 "/queries/plant-capacity-over-time.csv?plant=not%20an%20iri"])
def test_a_bad_parameter_is_a_400_naming_it(web, url):
    response = web.get(url)
    assert response.status_code == 400
    assert "parameter '" in response.get_json()["error"]


def test_a_bad_parameter_on_the_page_is_shown_next_to_the_form(web):
    response = web.get("/queries/ownership-on-date?date=31/12/2019", headers={"Accept": "text/html"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page and "parameter &#39;date&#39;" in page and 'aria-invalid="true"' in page


def test_a_parameter_cannot_inject_sparql(web):
    response = web.get("/queries/fact-provenance.json", query_string={"fact": "https://x/a> } UNION { ?s ?p ?o"})
    assert response.status_code == 400  # not an IRI: refused before any query text exists


@pytest.mark.parametrize("url", ["/queries/no-such-query", "/queries/no-such-query.json", "/queries/x.zip"])
def test_unknown_query_is_404(web, url):
    assert web.get(url).status_code == 404


def test_graph_formats_are_refused_for_a_select(web):
    response = web.get("/queries/class-counts.ttl")
    assert response.status_code == 406
    assert ".json" in response.get_json()["error"]


@pytest.mark.parametrize("ext,media_type", [("ttl", "text/turtle"), ("nt", "application/n-triples"),
                                            ("jsonld", "application/ld+json"), ("rdf", "application/rdf+xml")])
def test_a_construct_query_answers_rdf(construct_client, ext, media_type):
    response = construct_client.get(f"/queries/ownership-network.{ext}")
    assert response.status_code == 200 and response.mimetype == media_type
    graph = Graph().parse(data=response.get_data(), format={"rdf": "xml", "nt": "nt", "ttl": "turtle", "jsonld": "json-ld"}[ext])
    assert len(graph) > 5
    assert construct_client.get("/queries/ownership-network.csv").status_code == 406


def test_a_construct_query_page_embeds_ntriples_for_the_graph_view(construct_client):
    page = construct_client.get("/queries/ownership-network").get_data(as_text=True)
    assert '\\u003chttps://w3id.org/aesc-kg/id/' in page  # N-Triples inside JSON, '<' escaped
    assert 'data-view="graph"' in page and "/queries/ownership-network.ttl" in page


def test_editor_text_writes_parameters_as_values_at_the_top_of_where():
    query = QUERIES["ownership-on-date"]
    text = editor_text(query.sparql, query.bindings({"date": "2019-06-01"}))
    assert 'VALUES (?date) { ("2019-06-01"^^<http://www.w3.org/2001/XMLSchema#date>) }' in text
    assert text.index("VALUES") > text.index("WHERE {")


def test_kind_of():
    assert kind_of("SELECT * WHERE { ?s ?p ?o }") == "results"
    assert kind_of("ASK { ?s ?p ?o }") == "results"
    assert kind_of(CONSTRUCT) == "graph"


@pytest.mark.parametrize("term", [Literal("2012-01-01", datatype=XSD.date), URIRef("https://w3id.org/aesc-kg/id/plant/douai"),
                                  Literal('quote " newline \n back\\slash <script>'), Literal("x", lang="en")])
def test_bindings_cross_the_pipe_as_n3_and_come_back_equal(term):
    pairs = encode_bindings({Variable("v"): term})
    assert pairs == (("v", term.n3()),)
    assert decode_bindings(pairs) == {"v": term}


def test_store_query_takes_bindings(real_app):
    from server.kg import get_store
    with real_app.app_context():
        store = get_store()
        rows = list(store.query("SELECT ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
                                bindings={"x": URIRef("https://w3id.org/aesc-kg/id/plant/douai")}))
    assert [str(r[0]) for r in rows] == ["Douai plant"]
