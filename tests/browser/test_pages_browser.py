"""The pages in a real headless Chromium: editor, canned queries and their views, resource pages.

What a user does: open the home page, run a query (button and Ctrl+Enter), see rows and the time,
switch views, follow a link to a resource page, see the parser's message for a malformed query,
submit a parameter form. Each test also fails on any script error or CSP violation (conftest).
"""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def test_home_page_describes_the_graph_and_prefills_the_editor(page):
    page.goto("/")
    assert page.get_by_role("heading", name="AESC knowledge graph").is_visible()
    assert "PREFIX kg: <" in page.locator("#query").input_value()
    assert page.locator(".editor.highlighting .tok-keyword").first.is_visible()  # highlighting ran
    assert page.get_by_role("link", name="dataset.trig").is_visible()
    assert page.locator("table.counts").first.is_visible()


def test_run_a_query_with_ctrl_enter_shows_rows_time_and_a_share_link(page):
    page.goto("/")
    page.locator("#query").fill("SELECT ?plant ?label WHERE { ?plant a kg:Plant ; rdfs:label ?label } ORDER BY ?label")
    page.locator("#query").press("Control+Enter")
    page.wait_for_selector("#results table.results tbody tr")
    assert page.locator("#results tbody tr").count() > 5
    assert re.search(r"\d+ rows in \d+ ms", page.locator("#query-status").inner_text())
    assert "query=SELECT" in page.locator("#share").get_attribute("href")
    assert "query=SELECT" in page.url  # the address bar is the shareable URL


def test_shared_url_runs_the_query_and_offers_downloads(page):
    page.goto("/?query=" + "ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D")
    page.wait_for_selector("#results td")
    assert page.locator("#results td").first.inner_text().startswith("true")
    assert page.get_by_role("link", name="CSV").get_attribute("href").startswith("/sparql?query=ASK")


def test_malformed_query_shows_the_parser_message_next_to_the_query(page):
    page.goto("/")
    page.locator("#query").fill("SELECT ?x WHERE { ?x ?y }")
    page.get_by_role("button", name="Run query").click()
    error = page.locator("#query-error")
    error.wait_for(state="visible")
    assert "malformed query" in error.inner_text()
    assert page.locator("#query").get_attribute("aria-invalid") == "true"


def test_construct_in_the_editor_draws_a_node_link_picture(page):
    page.goto("/")
    page.locator("#query").fill(
        "CONSTRUCT { ?h kg:holds ?s . ?s kg:heldCompany ?c } WHERE { ?s a kg:Stake ; kg:holder ?h ; kg:heldCompany ?c }")
    page.get_by_role("button", name="Run query").click()
    page.wait_for_selector("svg.graph-view .node")
    assert page.locator("svg.graph-view .edge").count() > 3
    assert page.get_by_role("button", name="Graph").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("link", name="TURTLE").is_visible()


def test_canned_query_page_switches_between_table_and_bar_chart(page):
    page.goto("/queries")
    page.get_by_role("link", name="Announced battery capacity (GWh) by country").click()
    page.wait_for_selector("svg.bar-chart rect.bar")  # `# view: bar` is shown first
    assert page.locator("svg.bar-chart rect.bar").count() >= 3
    page.get_by_role("button", name="Table").click()
    assert page.locator("#table-view tbody tr").count() >= 3
    assert page.locator("#js-view").is_hidden()
    page.get_by_role("button", name="World").click()
    assert page.locator("svg.world-view").get_by_text("Europe").is_visible()


def test_timeline_view_of_ownership_changes(page):
    page.goto("/queries/ownership-timeline")
    page.wait_for_selector("svg.timeline-axis .mark")
    assert page.locator("ol.timeline li").count() >= 3
    assert page.locator("ol.timeline li").first.locator(".when").inner_text().strip()


def test_parameter_form_submits_and_reports_a_bad_value(page):
    page.goto("/queries/ownership-on-date")
    page.get_by_label("date (xsd:date)").fill("2019-06-01")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url(re.compile(r"date=2019-06-01"))
    assert "Envision" in page.locator("#table-view").inner_text()
    page.goto("/queries/ownership-on-date?date=not-a-date")
    assert "parameter 'date'" in page.get_by_role("alert").inner_text()


def test_follow_a_result_link_to_a_resource_page(page):
    page.goto("/queries/ownership-on-date?date=2012-01-01")
    page.locator("#table-view a.iri", has_text="id:company/nissan").first.click()
    page.wait_for_url(re.compile(r"/id/company/nissan$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Nissan")
    assert page.get_by_role("heading", name="Properties").is_visible()
    assert page.locator("a[href^='http://www.wikidata.org/entity/Q20165']").count() == 1


def test_resource_page_tells_inferred_from_asserted_and_quotes_the_source(page):
    page.goto("/id/company/aesc")
    assert page.locator("li.value.inferred .badge").first.inner_text().lower() == "inferred"
    assert page.locator("figure.quote blockquote").first.is_visible()
    page.goto("/id/stake/nissan-2018")
    assert "CC BY-SA" in page.locator("figure.quote figcaption").first.inner_text() or \
        "creativecommons" in page.locator("figure.quote figcaption a[rel~=license]").first.get_attribute("href")


def test_pages_fit_a_phone_screen(browser, site):
    context = browser.new_context(base_url=site, viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    for path in ("/", "/queries/sites-per-country", "/id/plant/douai"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    context.close()


def test_keyboard_reaches_the_editor_and_views(page):
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.locator("#query").focus()
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#results .views button")
    page.locator("#results .views button").first.focus()
    page.keyboard.press("Enter")
    assert page.locator("#results .views button").first.get_attribute("aria-pressed") == "true"
