"""Blueprint ``queries``: the canned queries of ``queries/*.rq``, as pages and as API URLs.

In the spirit of Datasette's canned queries (https://docs.datasette.io/en/stable/sql_queries.html):
each file is a page ``/queries/<name>`` with a form for its parameters and views of its result, and
API URLs ``/queries/<name>.json`` (``.csv``, ``.tsv``, ``.xml``; a CONSTRUCT query ``.ttl``, ``.nt``,
``.jsonld``, ``.rdf``); ``/queries`` lists them for people and ``/queries.json`` for programs.
Parameters arrive as URL parameters and are bound as RDF terms (initial bindings), never pasted
into the text; the query runs in the same worker pool, under the same limits, as ``/sparql``.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, render_template, request, url_for

from graph.formats import BY_NAME
from graph.iris import PREFIXES, QUERIES_DIR
from graph.queries import CannedQuery, ParameterError, load_queries
from server.csp import secure
from server.execute import content_type
from server.resource import run
from server.terms import from_rdflib, parse_results

bp = Blueprint("queries", __name__)
bp.after_request(secure)

EXTENSIONS = {"results": {"json": "json", "csv": "csv", "tsv": "tsv", "xml": "xml"},
              "graph": {"ttl": "turtle", "nt": "ntriples", "jsonld": "jsonld", "rdf": "rdfxml"}}
ALL_EXTENSIONS = ",".join(ext for exts in EXTENSIONS.values() for ext in exts)


def init_app(app: Flask) -> None:
    app.extensions["queries"] = load_queries(Path(app.config.get("QUERIES_DIR") or QUERIES_DIR))
    app.register_blueprint(bp)


def get_queries() -> dict[str, CannedQuery]:
    return current_app.extensions["queries"]


def get_query(name: str) -> CannedQuery:
    query = get_queries().get(name)
    if query is None:
        abort(404, f"no canned query named {name!r}; the list is at /queries")
    return query


@functools.lru_cache(maxsize=256)
def kind_of(sparql: str) -> str:
    """"results" for SELECT / ASK, "graph" for CONSTRUCT / DESCRIBE (the files are trusted)."""
    from rdflib.plugins.sparql.processor import prepareQuery
    name = prepareQuery(sparql, initNs=PREFIXES).algebra.name
    return "graph" if name in ("ConstructQuery", "DescribeQuery") else "results"


@bp.route("/queries")
def index():
    queries = [(q, next(iter(EXTENSIONS[kind_of(q.sparql)]))) for q in get_queries().values()]
    return render_template("queries.html", queries=queries)


@bp.route("/queries.json")
def listing():
    items = [{**q.to_dict(), "kind": kind_of(q.sparql), "url": url_for(".page", name=q.name, _external=True),
              "api": {ext: url_for(".api", name=q.name, ext=ext, _external=True)
                      for ext in EXTENSIONS[kind_of(q.sparql)]}}
             for q in get_queries().values()]
    return jsonify(queries=items)


@bp.route(f"/queries/<name>.<any({ALL_EXTENSIONS}):ext>")
def api(name: str, ext: str):
    query = get_query(name)
    kind = kind_of(query.sparql)
    if ext not in EXTENSIONS[kind]:
        abort(406, f"{name} is a {'SELECT/ASK' if kind == 'results' else 'CONSTRUCT/DESCRIBE'} query; "
                   f"its formats are {', '.join('.' + e for e in EXTENSIONS[kind])}")
    fmt = BY_NAME[EXTENSIONS[kind][ext]]
    answer = run(query.sparql, {"results": None, "graph": None, kind: fmt}, bindings_of(query))
    response = Response(answer.body, content_type=content_type(fmt))
    response.cache_control.public = True
    response.cache_control.max_age = int(current_app.config["CACHE_MAX_AGE"])
    return response


@bp.route("/queries/<name>")
def page(name: str):
    query = get_query(name)
    values = {p.name: request.args.get(p.name, p.default) for p in query.parameters}
    try:
        bindings = query.bindings(values)
    except ParameterError as e:
        return render_template("query.html", q=query, values=values, error=e, kind=kind_of(query.sparql),
                               exts=EXTENSIONS[kind_of(query.sparql)]), 400
    result = run_for_page(query.sparql, bindings)
    return render_template("query.html", q=query, values=values, error=None, **result,
                           edit=editor_text(query.sparql, bindings), exts=EXTENSIONS[result["kind"]])


def bindings_of(query: CannedQuery) -> dict:
    """The parameters of the request as terms; a bad value is a 400 naming the parameter."""
    try:
        return query.bindings({p.name: request.args.get(p.name) for p in query.parameters})
    except ParameterError as e:
        abort(400, str(e))


def run_for_page(sparql: str, bindings: dict) -> dict:
    """The result as a table of terms (server-side) and as data for the client-side views."""
    answer = run(sparql, {"results": BY_NAME["json"], "graph": BY_NAME["ntriples"]}, bindings)
    if answer.content_type.startswith("application/n-triples"):
        from rdflib import Graph
        text = answer.body.decode("utf-8")
        triples = sorted(Graph().parse(data=text, format="nt"))
        rows = [dict(zip(("subject", "predicate", "object"), map(from_rdflib, t))) for t in triples]
        return {"kind": "graph", "vars": ["subject", "predicate", "object"], "rows": rows,
                "data": {"kind": "graph", "ntriples": text}}
    variables, rows = parse_results(answer.body)
    return {"kind": "results", "vars": variables, "rows": rows,
            "data": {"kind": "results", "json": json.loads(answer.body)}}


def editor_text(sparql: str, bindings: dict) -> str:
    """The query for the editor, its parameters written as a VALUES block at the top of WHERE
    (what rdflib's initial bindings mean), so that the edited query runs as the canned one."""
    if not bindings:
        return sparql
    names = " ".join(f"?{v}" for v in bindings)
    values = f"\n  VALUES ({names}) {{ ({' '.join(t.n3() for t in bindings.values())}) }}"
    return re.sub(r"(\bWHERE\s*\{)", lambda m: m.group(1) + values, sparql, count=1, flags=re.I)
