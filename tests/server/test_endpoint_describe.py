"""What the endpoint says about itself, and the HTTP around every answer.

SPARQL 1.1 Service Description (https://www.w3.org/TR/sparql11-service-description/), VoID,
ETag / 304 / Cache-Control, CORS, /healthz and the access log line.
"""
from __future__ import annotations

import logging

from rdflib import RDF, Graph, Literal, Namespace, URIRef

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
PEOPLE, NOTES = URIRef("http://example.org/graph/people"), URIRef("http://example.org/graph/notes")
SELECT = "SELECT * WHERE { ?s ?p ?o }"


def service_description(client) -> Graph:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return Graph().parse(data=response.data, format="turtle")


def test_service_description(client):
    g = service_description(client)
    service = g.value(predicate=RDF.type, object=SD.Service)
    assert g.value(service, SD.endpoint) == URIRef("http://localhost/sparql")
    assert set(g.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    formats = {str(f).rsplit("/", 1)[-1] for f in g.objects(service, SD.resultFormat)}
    assert formats == {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                       "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"}
    dataset = g.value(service, SD.defaultDataset)
    assert g.value(g.value(dataset, SD.defaultGraph), VOID.triples) == Literal(16)
    named = {g.value(n, SD.name): g.value(g.value(n, SD.graph), VOID.triples)
             for n in g.objects(dataset, SD.namedGraph)}
    assert named == {PEOPLE: Literal(10), NOTES: Literal(6)}
    assert (dataset, RDF.type, VOID.Dataset) in g  # the VoID dataset *is* the SD dataset


def test_no_federation_advertised_by_default(client):
    assert (None, SD.feature, SD.BasicFederatedQuery) not in service_description(client)


def test_void(client):
    response = client.get("/.well-known/void")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    g = Graph().parse(data=response.data, format="turtle")
    top = g.value(predicate=VOID.sparqlEndpoint, object=URIRef("http://localhost/sparql"))
    assert g.value(top, VOID.triples) == Literal(16)


def test_etag_and_304(client):
    first = client.get("/sparql", query_string={"query": SELECT})
    etag = first.headers["ETag"]
    assert first.cache_control.public and first.cache_control.max_age > 0
    again = client.get("/sparql", query_string={"query": SELECT}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    other = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/csv"})
    assert other.headers["ETag"] != etag  # the ETag covers the representation, not only the query


def test_service_description_is_cacheable(client):
    etag = client.get("/sparql").headers["ETag"]
    assert client.get("/sparql", headers={"If-None-Match": etag}).status_code == 304


def test_cors(client):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Origin": "http://a.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options("/sparql", headers={
        "Origin": "http://a.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == "content-type"
    error = client.put("/sparql", headers={"Origin": "http://a.example"})
    assert error.headers["Access-Control-Allow-Origin"] == "*"  # errors readable cross-origin too


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["triples"] == 16
    assert response.json["graphs"] == 2


def test_one_log_line_per_request(client, caplog):
    with caplog.at_level(logging.INFO, logger="aesc_kg.access"):
        client.get("/sparql", query_string={"query": SELECT})
        client.put("/sparql")
    lines = [r.getMessage() for r in caplog.records if r.name == "aesc_kg.access"]
    assert len(lines) == 2
    assert lines[0].startswith("GET /sparql 200 ") and lines[0].endswith("ms")
    assert lines[1].startswith("PUT /sparql 405 ")
