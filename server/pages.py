"""Blueprint ``pages``: the HTML surface (home and query editor, resource pages, ontology, dumps).

Every IRI of the graph dereferences here (https://www.w3.org/TR/cooluris/): ``BASE + "id/<rest>"``
is served at ``/id/<rest>``, the ontology terms at ``/ontology#Term`` and any other IRI the graph
uses at ``/resource?iri=...``. One URL answers both people and machines by direct content
negotiation (``Vary: Accept``, no 303): HTML for browsers, Turtle, JSON-LD, N-Triples or RDF/XML
for an RDF ``Accept`` header or a ``format`` parameter. Pages load no script or style from
elsewhere, and a Content-Security-Policy forbids inline script.
"""
from __future__ import annotations

import json
import re

from flask import (Blueprint, Response, abort, current_app, render_template, request,
                   send_from_directory, url_for)
from rdflib import URIRef

from graph.formats import Format, formats_of, lookup
from graph.iris import BASE, ONTOLOGY, PREFIXES
from server import overview
from server.canned import get_queries
from server.csp import secure
from server.execute import content_type
from server.kg import get_store
from server.resource import describe, rdf, run, select

# An absolute IRI without the characters RDF forbids in one (same rule as canned-query parameters).
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")

bp = Blueprint("pages", __name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
EXAMPLE = """SELECT ?plant ?label ?country WHERE {
  ?plant a kg:Plant ; rdfs:label ?label .
  OPTIONAL { ?plant kg:country/rdfs:label ?country }
}
ORDER BY ?country ?label"""
EXISTS = "ASK { { ?this ?p ?o } UNION { ?s ?this ?o } UNION { ?s ?p ?this } }"
ONTOLOGY_GRAPH = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY}> {{ ?s ?p ?o }} }}"


bp.after_request(secure)


@bp.app_context_processor
def page_globals() -> dict:
    # the client-side views map graph IRIs to local pages and prefixed names with these
    return {"config_base": BASE, "config_prefixes": json.dumps({p: str(ns) for p, ns in PREFIXES.items()})}


@bp.route("/")
def home():
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    store, data_dir = get_store(), current_app.config.get("DATA_DIR")
    return render_template("home.html", query=request.args.get("query") or f"{prologue}\n{EXAMPLE}\n",
                           classes=overview.class_counts(), graphs=store.graphs(),
                           triples=store.triples(), queries=get_queries().values(),
                           dumps=overview.dump_files(data_dir))


@bp.route("/dumps/<name>")
def dump(name: str):
    data_dir = current_app.config.get("DATA_DIR")
    if name not in overview.dump_files(data_dir):
        abort(404, f"no dump named {name!r}; the dumps are listed on the home page "
                   "(run `aesc-kg build --out DIR` and `aesc-kg serve --data DIR`)")
    return send_from_directory(data_dir, name, mimetype=overview.media_type(name))


@bp.route("/id/<path:rest>")
def resource(rest: str):
    return resource_page(BASE + "id/" + rest)


@bp.route("/resource")
def any_resource():
    iri = request.args.get("iri", "").strip()
    if not iri:
        abort(400, "missing 'iri': ask for /resource?iri=<an IRI of the graph>")
    return resource_page(iri)


def resource_page(iri: str):
    if not _IRI.match(iri):  # e.g. /id/a%3Eb: not an IRI, so not a resource of the graph
        abort(404, f"not an IRI of this graph: {iri!r}")
    """The page of ``iri``: HTML, or its RDF description when the client asks for RDF."""
    fmt = wanted_format()
    if fmt is not None:
        if select(EXISTS, {"this": URIRef(iri)})[0]["boolean"].value != "true":
            abort(404, f"<{iri}> is not used in this graph")
        return alternate(Response(rdf(iri, fmt), content_type=content_type(fmt)))
    about = describe(iri)
    if about is None:
        abort(404, f"<{iri}> is not used in this graph")
    return alternate(Response(render_template("resource.html", r=about, formats=formats_of("graph"))))


@bp.route("/ontology")
def ontology():
    fmt = wanted_format()
    if fmt is not None:
        body = run(ONTOLOGY_GRAPH, {"results": None, "graph": fmt}).body
        return alternate(Response(body, content_type=content_type(fmt)))
    page = render_template("ontology.html", sections=overview.ontology_terms(), formats=formats_of("graph"))
    return alternate(Response(page))


def wanted_format() -> Format | None:
    """The RDF format asked for by ``format`` or ``Accept``; None for HTML (the default)."""
    name = request.args.get("format", "").strip().lower()
    if name in ("html", *HTML_TYPES):
        return None
    if name:
        try:
            return lookup(name, "graph")
        except ValueError as e:
            abort(406, f"{e}, or html")
    offers = {**{t: None for t in HTML_TYPES}, **{f.media_type: f for f in formats_of("graph")}}
    offers.update({a: f for f in formats_of("graph") for a in f.aliases if a not in offers})
    best = request.accept_mimetypes.best_match(list(offers)) if request.accept_mimetypes else None
    if request.accept_mimetypes and best is None:
        abort(406, f"supported: text/html, {', '.join(f.media_type for f in formats_of('graph'))}")
    return offers.get(best)


def alternate(response: Response) -> Response:
    """Content negotiation on one URL: say so to caches, and name the other representations."""
    response.vary.add("Accept")
    links = [f'<{url_for(request.endpoint, **request.view_args, **_args(f.name))}>; rel="alternate"; '
             f'type="{f.media_type}"' for f in formats_of("graph")]
    response.headers["Link"] = ", ".join(links)
    return response


def _args(fmt: str) -> dict:
    args = {k: v for k, v in request.args.items() if k != "format"}
    return {**args, "format": fmt}
