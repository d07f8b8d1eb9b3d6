"""Vocabulary views: the Wikidata-model and schema.org restatements, as canned queries and as files
written by the build (wikidata-view.ttl, schema-view.jsonld), deterministic and faithful."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from graph.views import SCHEMA_CONTEXT, schema_jsonld, view, wikidata_turtle, write_views

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
WD, WDT = Namespace("http://www.wikidata.org/entity/"), Namespace("http://www.wikidata.org/prop/direct/")
P, PS = Namespace("http://www.wikidata.org/prop/"), Namespace("http://www.wikidata.org/prop/statement/")
PQ, PQV = Namespace("http://www.wikidata.org/prop/qualifier/"), Namespace("http://www.wikidata.org/prop/qualifier/value/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")
SCHEMA = Namespace("https://schema.org/")
ID = Namespace("https://w3id.org/aesc-kg/id/")
AESC = WD.Q787901


@pytest.fixture(scope="module")
def wikidata(dumps) -> Graph:
    return Graph().parse(dumps / "wikidata-view.ttl", format="turtle")


@pytest.fixture(scope="module")
def schema_doc(dumps) -> dict:
    return json.loads((dumps / "schema-view.jsonld").read_text(encoding="utf-8"))


def test_the_build_writes_the_views_and_they_equal_the_canned_queries(dataset, dumps, wikidata):
    assert set(wikidata) == set(view(dataset, "wikidata-view"))
    schema = Graph().parse(dumps / "schema-view.jsonld", format="json-ld")
    assert set(schema) == set(view(dataset, "schema-view"))


def test_views_are_deterministic(dataset, dumps, tmp_path):
    write_views(dataset, tmp_path)
    for name in ("wikidata-view.ttl", "schema-view.jsonld"):
        assert (tmp_path / name).read_bytes() == (dumps / name).read_bytes(), name


def test_no_blank_nodes(wikidata, dumps):
    schema = Graph().parse(dumps / "schema-view.jsonld", format="json-ld")
    for graph in (wikidata, schema):
        assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def statement(wikidata, stake: str) -> dict:
    node = ID[f"wikidata-statement/{stake}-P127"]
    assert (AESC, P.P127, node) in wikidata
    return {p: o for p, o in wikidata.predicate_objects(node)}


def test_ownership_as_wikidata_statements_with_qualifiers(wikidata):
    assert len(set(wikidata.objects(AESC, P.P127))) == 5
    nissan = statement(wikidata, "nissan-2008")
    assert nissan[PS.P127] == WD.Q20165 and nissan[RDF.type] == WIKIBASE.Statement
    assert nissan[PQ.P1107].datatype == XSD.decimal and nissan[PQ.P1107].value == Decimal("0.51")
    assert nissan[PQ.P580].value.year == 2008 and nissan[PQ.P582].value.month == 8
    assert nissan[WIKIBASE.rank] == WIKIBASE.NormalRank
    assert wikidata.value(nissan[PQV.P580], WIKIBASE.timePrecision) == Literal(9)   # a year
    assert wikidata.value(nissan[PQV.P582], WIKIBASE.timePrecision) == Literal(10)  # a month
    envision = statement(wikidata, "envision-2018")
    assert envision[PS.P127] == ID["company/envision"]  # no Wikidata link: our IRI stays
    assert PQ.P582 not in envision and envision[WIKIBASE.rank] == WIKIBASE.PreferredRank


def test_truthy_claims_are_the_current_owners_and_the_facts(wikidata):
    assert set(wikidata.objects(AESC, WDT.P127)) == {WD.Q20165, ID["company/envision"]}
    current = [statement(wikidata, s)[PQ.P1107].value for s in ("nissan-2018", "envision-2018")]
    assert sum(current) == 1
    assert set(wikidata.objects(AESC, WDT.P159)) == {WD.Q38283}
    assert set(wikidata.objects(AESC, WDT.P17)) == {WD.Q17}
    assert [o.value.year for o in wikidata.objects(AESC, WDT.P571)] == [2007]
    assert ID["product/l3-10"] in set(wikidata.objects(AESC, WDT.P1056))
    assert (ID["plant/douai"], WDT.P17, WD.Q142) in wikidata
    assert set(wikidata.objects(ID["place/zama"], WDT.P131)) == {ID["place/kanagawa"]}  # direct only
    assert (AESC, URIRef("http://www.w3.org/2004/02/skos/core#exactMatch"), ID["company/aesc"]) in wikidata


def test_schema_context_is_readable(schema_doc):
    context = schema_doc["@context"]
    assert context == json.loads(json.dumps(SCHEMA_CONTEXT))
    assert context["@vocab"] == "https://schema.org/"
    assert all(":" not in term or term.startswith("@") for term in context)  # short terms only


def test_schema_nodes_read_like_schema_org(schema_doc):
    nodes = {node["id"]: node for node in schema_doc["@graph"]}
    aesc = nodes[str(ID["company/aesc"])]
    assert aesc["type"] == "Organization" and aesc["name"] == "Automotive Energy Supply Corporation"
    assert aesc["foundingDate"] == "2007" and aesc["sameAs"] == str(AESC)
    assert aesc["address"] == "Yokohama, Japan" and "AESC" in aesc["alternateName"]
    assert aesc["parentOrganization"] == str(ID["company/envision"])
    assert str(ID["plant/douai"]) in aesc["location"]
    douai = nodes[str(ID["plant/douai"])]
    assert douai["type"] == "Place" and douai["address"] == "Douai, Northern France, France"
    battery = nodes[str(ID["product/l3-10"])]
    assert battery["type"] == "Product" and battery["manufacturer"] == str(ID["company/aesc"])


def test_schema_jsonld_round_trips(dataset):
    graph = view(dataset, "schema-view")
    assert set(Graph().parse(data=schema_jsonld(graph), format="json-ld")) == set(graph)
    assert set(Graph().parse(data=wikidata_turtle(view(dataset, "wikidata-view")), format="turtle")) \
        == set(view(dataset, "wikidata-view"))
