"""The HTML surface over HTTP: home page, dumps, resource pages with content negotiation, ontology,
security headers, and escaping (a literal holding ``<script>`` in a small dataset of our own).

Resource pages must answer HTML to browsers and RDF to machines on the same URL (``Vary: Accept``),
tell asserted from inferred values, quote the source sentence, and 404 an IRI the graph does not use.
"""
from __future__ import annotations

import re

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.iris import ASSERTED, BASE, INFERRED, KG, ONTOLOGY
from server import create_app
from server.kg import close_pool

ID = Namespace(BASE + "id/")
EVIL = '<script>alert("x")</script> & <b>bold</b>'
RDF_TYPES = {"turtle": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
             "ntriples": ("application/n-triples", "nt"), "rdfxml": ("application/rdf+xml", "xml")}


@pytest.fixture(scope="module")
def evil_client():
    """A tiny dataset whose literals hold markup, in the asserted and the inferred graph."""
    ds = Dataset(default_union=True)
    thing = ID["company/evil"]
    ds.graph(ASSERTED).add((thing, RDFS.label, Literal(EVIL, lang="en")))
    ds.graph(ASSERTED).add((thing, RDFS.comment, Literal(EVIL)))
    ds.graph(ASSERTED).add((thing, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q1")))
    ds.graph(INFERRED).add((thing, RDF.type, KG.Company))
    ds.graph(ONTOLOGY).add((KG.Company, RDFS.label, Literal(EVIL)))
    app = create_app({"TESTING": True, "DATASET": ds, "QUERY_WORKERS": 1})
    yield app.test_client()
    close_pool(app)


def test_home_page_counts_classes_and_graphs_and_links_the_dumps(web, dumps):
    page = web.get("/").get_data(as_text=True)
    assert "PREFIX kg: &lt;https://w3id.org/aesc-kg/ontology#&gt;" in page  # editor pre-filled, escaped
    assert str(ASSERTED) in page and str(INFERRED) in page
    assert 'href="/ontology#Plant"' in page
    assert 'href="/dumps/dataset.trig"' in page and 'href="/.well-known/void"' in page
    assert 'href="/sparql"' in page


def test_home_page_without_dumps_explains_the_build(evil_client):
    assert "aesc-kg build --out dumps" in evil_client.get("/").get_data(as_text=True)
    assert evil_client.get("/dumps/dataset.trig").status_code == 404


def test_home_page_prefills_a_shared_query(web):
    page = web.get("/?query=SELECT%20%3Cx%3E").get_data(as_text=True)
    assert "SELECT &lt;x&gt;</textarea>" in page


@pytest.mark.parametrize("name,media_type", [("dataset.trig", "application/trig"), ("dataset.nq", "application/n-quads"),
                                             ("asserted.ttl", "text/turtle"), ("void.ttl", "text/turtle")])
def test_dumps_are_served_with_their_media_type(web, dumps, name, media_type):
    with web.get(f"/dumps/{name}") as response:  # a file response: close it
        assert response.status_code == 200 and response.mimetype == media_type
        assert response.get_data() == (dumps / name).read_bytes()


@pytest.mark.parametrize("name", ["nothing.ttl", "..%2Fetc%2Fpasswd", ".hidden"])
def test_unknown_dump_is_404(web, name):
    assert web.get(f"/dumps/{name}").status_code == 404


def test_resource_page_for_people(web):
    response = web.get("/id/stake/nissan-2018", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<h1>Nissan&#39;s retained 25% stake" in page
    assert 'class="value inferred"' in page and 'class="badge inferred"' in page  # told apart
    assert "<blockquote" in page and "Section “History”" in page  # the provenance quote
    assert 'href="/id/company/nissan"' in page  # links stay on this server
    assert "Incoming links" in page
    assert "Accept" in response.headers["Vary"]


def test_resource_page_links_wikidata(web):
    page = web.get("/id/company/aesc").get_data(as_text=True)
    assert 'href="http://www.wikidata.org/entity/Q787901"' in page and "exact match" in page


@pytest.mark.parametrize("name", RDF_TYPES)
def test_resource_rdf_by_accept_and_by_format(web, name):
    media_type, parser = RDF_TYPES[name]
    iri = URIRef(BASE + "id/plant/douai")
    for response in (web.get("/id/plant/douai", headers={"Accept": media_type}),
                     web.get(f"/id/plant/douai?format={name}", headers={"Accept": "text/html"})):
        assert response.status_code == 200 and response.mimetype == media_type
        graph = Graph().parse(data=response.get_data(), format=parser)
        assert (iri, RDFS.label, Literal("Douai plant", lang="en")) in graph
        assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("accept,expected", [("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
                                             ("*/*", "text/html"), ("", "text/html"),
                                             ("text/turtle;q=0.9, text/html;q=0.5", "text/turtle"),
                                             ("application/json", "application/ld+json")])
def test_conneg_table(web, accept, expected):
    headers = {"Accept": accept} if accept else {}
    assert web.get("/id/company/aesc", headers=headers).mimetype == expected


def test_unacceptable_format_is_406(web):
    assert web.get("/id/company/aesc", headers={"Accept": "image/png"}).status_code == 406
    assert web.get("/id/company/aesc?format=pdf").status_code == 406


def test_any_iri_of_the_graph_has_a_page(web):
    response = web.get("/resource", query_string={"iri": "http://www.wikidata.org/entity/Q17"})
    assert response.status_code == 200
    assert 'href="/id/place/japan"' in response.get_data(as_text=True)  # incoming link


@pytest.mark.parametrize("url", ["/id/company/no-such-company", "/resource?iri=http://example.org/nothing",
                                 "/id/company/no-such-company?format=turtle"])
def test_unknown_iri_is_404(web, url):
    assert web.get(url).status_code == 404


def test_resource_without_iri_is_400(web):
    assert web.get("/resource").status_code == 400


def test_ontology_page_lists_every_term_with_anchors(web):
    page = web.get("/ontology").get_data(as_text=True)
    for term in ("Plant", "Stake", "holder", "percentage", "sourceSentence"):
        assert f'id="{term}"' in page
    assert "schema:Organization" in page and "wd:Q43229" in page  # alignments
    graph = Graph().parse(data=web.get("/ontology?format=turtle").get_data(), format="turtle")
    assert (KG.Plant, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in graph


@pytest.mark.parametrize("url", ["/", "/queries", "/queries/class-counts", "/id/company/aesc", "/ontology"])
def test_html_pages_carry_a_content_security_policy(web, url):
    response = web.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    page = response.get_data(as_text=True)
    assert "<script>" not in page and "http://" not in page.split("<body")[0].replace('http://www.w3.org', '')


@pytest.mark.parametrize("name", ["style.css", "editor.js", "canned.js", "views.js", "terms.js", "highlight.js",
                                  "ntriples.js", "timeline.js", "bars.js", "graph.js", "map.js"])
def test_static_files_are_served_by_the_app(web, name):
    with web.get(f"/static/{name}") as response:
        assert response.status_code == 200
        # nothing fetched from elsewhere: no module, font or image URL outside this server
        assert not re.search(rb"""(from|import\(|url\()\s*["']?(https?:)?//""", response.get_data())


def test_literals_with_markup_are_escaped(evil_client):
    response = evil_client.get("/id/company/evil")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert 'class="badge inferred"' in page  # the type came from the inferred graph


def test_markup_in_canned_results_is_escaped_in_table_and_embedded_json(evil_client, tmp_path):
    page = evil_client.get("/?query=%3Cscript%3E").get_data(as_text=True)
    assert "<script>" not in page.replace('<script type="module"', "")
    ontology = evil_client.get("/ontology").get_data(as_text=True)
    assert "<script>alert" not in ontology


def test_canned_page_escapes_results(dumps, tmp_path):
    (tmp_path / "evil.rq").write_text(f"# title: Evil <i>title</i>\n# description: d\nSELECT ?x WHERE {{ BIND({Literal(EVIL).n3()} AS ?x) }}\n")
    app = create_app({"TESTING": True, "DATA_DIR": str(dumps), "QUERIES_DIR": str(tmp_path), "QUERY_WORKERS": 0})
    page = app.test_client().get("/queries/evil").get_data(as_text=True)
    assert "<i>title</i>" not in page and "Evil &lt;i&gt;title&lt;/i&gt;" in page
    assert "<script>alert" not in page and "</script> &" not in page
    assert "\\u003cscript\\u003e" in page  # inside the embedded JSON, '<' is escaped too


@pytest.mark.parametrize("path", ["/id/a%3Eb", "/id/a%20b", "/resource?iri=%3Cscript%3E", "/resource?iri=not%20an%20iri"])
def test_a_string_that_is_not_an_iri_is_a_404_not_a_500(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 404
    # The error echoes the input only where a browser will not run it: plain text, or escaped HTML.
    assert response.mimetype == "text/plain" or b"<script>" not in response.data
