"""aesc-kg: the AESC knowledge graph, built from ontology/ and graph/facts/.

The public API: ``build`` (load, validate, reason), ``build_graphs`` (the same as plain triple
lists, for large inputs), ``build_to`` (and write the dumps),
``load_dump`` (read a previous build back), and the named-graph IRIs.
"""
import rdflib.plugins.sparql

from .build import build, build_graphs, build_to
from .iris import ASSERTED, BASE, GRAPHS, INFERRED, ONTOLOGY
from .load import FactFileError, load_dump
from .validate import ValidationError, validate

# FROM / FROM NAMED select among the dataset's graphs; never fetch the IRI (rdflib's default
# would download it, or read a file: URL) - for `aesc-kg query` as for the endpoint.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

__all__ = ["build", "build_graphs", "build_to", "load_dump", "validate", "FactFileError", "ValidationError",
           "ASSERTED", "INFERRED", "ONTOLOGY", "GRAPHS", "BASE"]
