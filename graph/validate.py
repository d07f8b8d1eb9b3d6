"""SHACL validation of the asserted facts (https://www.w3.org/TR/shacl/), mirroring pySHACL.

``validate`` returns a value and the caller decides; ``build`` raises ``ValidationError`` with the
report text when the facts do not conform.
"""
from __future__ import annotations

from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace

SH = Namespace("http://www.w3.org/ns/shacl#")


class ValidationError(ValueError):
    """The facts violate the shapes; ``str(error)`` is the readable report."""


def validate(data: Graph, shapes: Graph, ontology: Graph | None = None) -> tuple[bool, Graph, str]:
    """Validate ``data`` against ``shapes``; return ``(conforms, report_graph, report_text)``.

    The ontology supplies the class hierarchy (a kg:JointVenture is a kg:Organization for
    ``sh:class``); no inference is run on the data itself. Warnings do not break conformance.
    The text lists one line per violation: focus node, path and the shape's message.
    """
    _, report, _ = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                  advanced=True, allow_warnings=True)
    violations = _results(report, SH.Violation)
    warnings = _results(report, SH.Warning)
    lines = [f"Violation: {line}" for line in violations] + [f"Warning: {line}" for line in warnings]
    summary = f"{len(violations)} violation(s), {len(warnings)} warning(s)"
    return not violations, report, "\n".join([summary, *lines])


def _results(report: Graph, severity) -> list[str]:
    lines = []
    for result in report.subjects(SH.resultSeverity, severity):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        lines.append(f"{_n3(report, focus)} {_n3(report, path) if path else '(node)'}: {message}")
    return sorted(lines)


def _n3(graph: Graph, term) -> str:
    try:
        return term.n3(graph.namespace_manager)
    except Exception:  # a blank-node path (sh:inversePath) has no short form
        return str(term)
