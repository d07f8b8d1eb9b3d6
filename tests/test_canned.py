"""Every canned query in queries/ gives exactly its expected result (tests/expected/<name>.json),
has its metadata, and binds its parameters safely."""
from __future__ import annotations

import json

import pytest
from rdflib import XSD, URIRef, Variable

from graph.queries import ParameterError, load_queries
from tests.canned_results import EXPECTED_DIR, run

QUERIES = load_queries()
COMPETENCY = [
    "ownership-on-date", "ownership-timeline", "plants-under-construction", "capacity-by-country",
    "first-battery", "monetary-amounts", "start-of-production", "sites-per-country", "customers",
    "fact-provenance", "plant-capacity-over-time", "construction-halts",
]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_canned_query_result_is_exactly_the_expected_one(dataset, name):
    expected_file = EXPECTED_DIR / f"{name}.json"
    assert expected_file.exists(), f"add {expected_file} (python -m tests.canned_results, then review)"
    assert run(dataset, QUERIES[name]) == json.loads(expected_file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_canned_query_has_metadata(name):
    query = QUERIES[name]
    assert query.title and query.description and len(query.description) > 20
    assert query.view in ("table", "timeline", "bar", "graph")


def test_every_competency_question_has_a_canned_query():
    assert set(COMPETENCY) <= set(QUERIES)


@pytest.mark.parametrize("date, holders", [
    ("2007-06-30", {}),
    ("2008-01-01", {"Nissan": "51.0", "NEC Corporation": "42.0", "NEC TOKIN": "7.0"}),
    ("2012-01-01", {"Nissan": "51.0", "NEC Corporation": "42.0", "NEC TOKIN": "7.0"}),
    ("2018-07-31", {"Nissan": "51.0", "NEC Corporation": "42.0", "NEC TOKIN": "7.0"}),
    ("2018-08-01", {"Nissan": "25.0", "Envision Group": "75.0"}),
    ("2030-01-01", {"Nissan": "25.0", "Envision Group": "75.0"}),
])
def test_owners_on_a_date(dataset, date, holders):
    query = QUERIES["ownership-on-date"]
    rows = dataset.query(query.sparql, initBindings=query.bindings({"date": date}))
    assert {str(r.holderLabel): str(r.percentage) for r in rows} == holders


def test_shares_on_any_date_sum_to_100(dataset):
    query = QUERIES["ownership-on-date"]
    for date in ("2009-05-01", "2016-12-31", "2019-01-01"):
        rows = dataset.query(query.sparql, initBindings=query.bindings({"date": date}))
        assert sum(float(r.percentage) for r in rows) == 100.0


def test_iri_parameter_selects_another_fact(dataset):
    query = QUERIES["fact-provenance"]
    rows = list(dataset.query(query.sparql, initBindings=query.bindings(
        {"fact": "https://w3id.org/aesc-kg/id/event/2025-florence-construction-halt"})))
    assert [str(r.section) for r in rows] == ["History"]
    assert "South Carolina" in str(rows[0].quote)


@pytest.mark.parametrize("name, param, value", [
    ("ownership-on-date", "date", "2012-13-45"),
    ("ownership-on-date", "date", "yesterday"),
    ("fact-provenance", "fact", "not an iri"),
    ("fact-provenance", "fact", "https://example.org/> } ; DROP ALL ; {"),
])
def test_bad_parameter_value_names_the_parameter(name, param, value):
    with pytest.raises(ParameterError) as err:
        QUERIES[name].bindings({param: value})
    assert err.value.name == param and repr(param) in str(err.value)


def test_parameters_are_bound_as_terms_not_pasted(dataset):
    bindings = QUERIES["plant-capacity-over-time"].bindings({"plant": "https://w3id.org/aesc-kg/id/plant/bowling-green"})
    assert bindings == {Variable("plant"): URIRef("https://w3id.org/aesc-kg/id/plant/bowling-green")}
    rows = list(dataset.query(QUERIES["plant-capacity-over-time"].sparql, initBindings=bindings))
    assert sorted(float(r.value) for r in rows) == [30.0, 40.0]


@pytest.mark.parametrize("raw, ok", [("2", True), ("2.25", True), ("-.5", True), ("abc.def", False),
                                     ("nan", False), ("1e3", False), ("inf", False)])
def test_decimal_parameters_follow_the_xsd_lexical_space(raw, ok):
    from graph.queries import Parameter
    parameter = Parameter("x", "xsd:decimal", "1.0", "")
    if ok:
        assert parameter.term(raw).datatype == XSD.decimal
    else:
        with pytest.raises(ParameterError):
            parameter.term(raw)
