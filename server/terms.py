"""RDF terms as the HTML pages show them: a short name, a local link, the datatype or language.

Terms arrive as SPARQL 1.1 Query Results JSON bindings (https://www.w3.org/TR/sparql11-results-json/),
because the pages ask the store through the same worker pool as ``/sparql``. An IRI of the graph links
to its page on this server (``BASE + "id/..."`` to ``/id/...``, ontology terms to ``/ontology#Term``,
any other IRI to ``/resource?iri=...``); templates escape every text these helpers return.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

from flask import url_for

from graph.iris import BASE, split_prefixed

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class Term:
    kind: str            # "uri", "literal" or "bnode"
    value: str
    datatype: str = ""   # a literal's datatype IRI ("" for plain and language-tagged strings)
    lang: str = ""

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    @property
    def short(self) -> str:
        """A prefixed name when a known prefix fits, else the IRI (or the literal's text)."""
        return qname(self.value) if self.is_iri else self.value

    @property
    def href(self) -> str | None:
        return local_href(self.value) if self.is_iri else None

    @property
    def note(self) -> str:
        """What to show discreetly after a literal: ``@en`` or its datatype as a prefixed name."""
        if self.kind != "literal":
            return ""
        if self.lang:
            return f"@{self.lang}"
        return qname(self.datatype) if self.datatype and self.datatype != XSD + "string" else ""


def qname(iri: str) -> str:
    """``kg:Plant`` for ``https://w3id.org/aesc-kg/ontology#Plant``; the IRI when no prefix fits.

    For display only: ``id:plant/douai`` reads well, though SPARQL would want ``id:plant\\/douai``."""
    split = split_prefixed(iri)
    if split and all(c.isalnum() or c in "-_./" for c in split[1]):
        return f"{split[0]}:{split[1]}"
    return iri


def local_href(iri: str) -> str:
    """The URL of ``iri``'s page on this server."""
    if iri.startswith(BASE + "id/"):
        return url_for("pages.resource", rest=iri[len(BASE) + 3:])
    if iri.startswith(BASE + "ontology#"):
        return url_for("pages.ontology") + "#" + quote(iri.split("#", 1)[1])
    if iri == BASE + "ontology":
        return url_for("pages.ontology")
    return url_for("pages.any_resource", iri=iri)


def from_json(binding: dict | None) -> Term | None:
    """One SPARQL JSON binding (``{"type": ..., "value": ...}``) as a :class:`Term`."""
    if not binding:
        return None
    kind = "literal" if binding["type"] in ("literal", "typed-literal") else binding["type"]
    return Term(kind, binding["value"], binding.get("datatype", ""), binding.get("xml:lang", ""))


def parse_results(body: bytes) -> tuple[list[str], list[dict[str, Term]]]:
    """A SPARQL JSON SELECT document as (variables, rows of ``{variable: Term}``)."""
    doc = json.loads(body)
    if "boolean" in doc:
        return ["boolean"], [{"boolean": Term("literal", str(doc["boolean"]).lower(), XSD + "boolean")}]
    rows = [{v: from_json(b) for v, b in row.items()} for row in doc["results"]["bindings"]]
    return doc["head"]["vars"], rows


def from_rdflib(term) -> Term:
    """An rdflib term (from a parsed graph) as a :class:`Term`."""
    from rdflib import BNode, Literal
    if isinstance(term, Literal):
        return Term("literal", str(term), str(term.datatype or ""), term.language or "")
    return Term("bnode" if isinstance(term, BNode) else "uri", str(term))
