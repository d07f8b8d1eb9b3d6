"""Namespaces, the named-graph IRIs and the places of the shipped files: constants only.

Every IRI the project mints lives under one base, ``DEFAULT_BASE``. The fact files are written
against that base; a deployment that wants its own (say ``https://kg.example.org/aesc/``) sets
``AESC_KG_BASE`` and :func:`graph.load.rebase` rewrites the IRIs while loading, so the files never
change.
"""
from __future__ import annotations

import os
from pathlib import Path

from rdflib import Namespace, URIRef

DEFAULT_BASE = "https://w3id.org/aesc-kg/"
BASE = os.environ.get("AESC_KG_BASE", DEFAULT_BASE)

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
FACTS_DIR = ROOT / "graph" / "facts"
QUERIES_DIR = ROOT / "queries"

# The vocabulary (TBox) and the individuals (ABox) of the project.
KG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")

# The three named graphs of the dataset; the default graph is their union.
ONTOLOGY = URIRef(BASE + "graph/ontology")
ASSERTED = URIRef(BASE + "graph/asserted")
INFERRED = URIRef(BASE + "graph/inferred")
GRAPHS = (ONTOLOGY, ASSERTED, INFERRED)

# Vocabularies we align with (see README, "Data model").
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
FIBO_OWN = Namespace("https://spec.edmcouncil.org/fibo/ontology/FND/OwnershipAndControl/Ownership/")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

def split_prefixed(iri, prefixes=None) -> tuple[str, str] | None:
    """``("kg", "Plant")`` for ``.../ontology#Plant``: the longest namespace of ``prefixes``
    (default :data:`PREFIXES`) that the IRI starts with, and a non-empty rest; else None.

    >>> split_prefixed("https://schema.org/Organization")
    ('schema', 'Organization')
    """
    text = str(iri)
    matches = [(len(str(ns)), prefix) for prefix, ns in (prefixes or PREFIXES).items()
               if text.startswith(str(ns)) and len(text) > len(str(ns))]
    if not matches:
        return None
    length, prefix = max(matches)
    return prefix, text[length:]


PREFIXES = {
    "kg": KG, "id": ID, "schema": SCHEMA, "org": ORG, "prov": PROV, "time": TIME,
    "wd": WD, "wdt": WDT, "qudt": QUDT, "unit": UNIT, "fibo-own": FIBO_OWN,
    "void": VOID, "sd": SD,
    "rdf": Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    "rdfs": Namespace("http://www.w3.org/2000/01/rdf-schema#"),
    "owl": Namespace("http://www.w3.org/2002/07/owl#"),
    "xsd": Namespace("http://www.w3.org/2001/XMLSchema#"),
    "skos": Namespace("http://www.w3.org/2004/02/skos/core#"),
    "dcterms": Namespace("http://purl.org/dc/terms/"),
    "sh": Namespace("http://www.w3.org/ns/shacl#"),
}
