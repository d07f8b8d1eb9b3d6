"""The pipeline: load -> validate (SHACL) -> reason (OWL 2 RL) -> dataset, and its export.

``build`` returns an rdflib ``Dataset`` with three named graphs (ontology, asserted, inferred)
whose default graph is their union; ``build_to`` also writes the dumps, atomically.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import multiprocessing

from rdflib import Dataset, Graph

from .export import export
from .iris import ASSERTED, FACTS_DIR, INFERRED, ONTOLOGY, ONTOLOGY_DIR
from .load import load_shapes, load_triples, to_dataset
from .reason import infer_triples
from .validate import ValidationError, validate

# From this many asserted triples on, validation runs in its own process beside reasoning.
PARALLEL_VALIDATION_FROM = 50_000

Progress = Callable[[str], None]


def build(ontology_dir: Path = ONTOLOGY_DIR, facts_dir: Path = FACTS_DIR,
          progress: Progress | None = None) -> Dataset:
    """Load, validate and reason; raise ``FactFileError`` or ``ValidationError`` on bad input.

    >>> from graph import build, INFERRED
    >>> len(build().graph(INFERRED)) > 0
    True
    """
    return to_dataset(build_graphs(ontology_dir, facts_dir, progress))


def build_graphs(ontology_dir: Path = ONTOLOGY_DIR, facts_dir: Path = FACTS_DIR,
                 progress: Progress | None = None) -> dict:
    """The pipeline without an rdflib dataset: ``{graph IRI: list of triples}`` for the three graphs.

    SHACL validation (pySHACL, the slow step on large inputs) runs in a forked child process while
    the parent reasons, when the input is large enough for the two cores to pay off.
    """
    graphs, validated = _reason_while_validating(ontology_dir, facts_dir, progress)
    validated()
    return graphs


def build_to(out_dir: Path, ontology_dir: Path = ONTOLOGY_DIR, facts_dir: Path = FACTS_DIR,
             progress: Progress | None = None, dataset: bool = True) -> Dataset | dict:
    """Build and write the dumps to ``out_dir``; on any failure ``out_dir`` is left untouched.

    On a large input the dumps are written while validation still runs; they replace ``out_dir``
    only once the facts are known to conform. Returns the dataset, or with ``dataset=False`` just
    the ``{graph IRI: triples}`` mapping (what the CLI uses: a large build then never builds an
    rdflib store).
    """
    graphs, validated = _reason_while_validating(ontology_dir, facts_dir, progress)
    if progress:
        progress(f"writing dumps to {out_dir}")
    export(graphs, Path(out_dir), ontology_dir, before_swap=validated)
    return to_dataset(graphs) if dataset else graphs


def _reason_while_validating(ontology_dir: Path, facts_dir: Path, progress: Progress | None):
    """Load, start validation, reason; return the graphs and a function that raises on violations."""
    say = progress or (lambda message: None)
    say("loading ontology and facts")
    ontology, asserted = load_triples(ontology_dir, facts_dir)
    say(f"validating {len(asserted)} asserted triples against the SHACL shapes")
    check = _start_validation(ontology, asserted, load_shapes(ontology_dir))
    if check.done:  # validated already (small input): fail before reasoning
        _raise_unless_conforms(check())
    say("reasoning (OWL 2 RL)")
    inferred = infer_triples(ontology, asserted)
    graphs = {ONTOLOGY: list(ontology), ASSERTED: asserted, INFERRED: inferred}
    return graphs, lambda: _raise_unless_conforms(check())


def _raise_unless_conforms(result: tuple[bool, str]) -> None:
    conforms, report = result
    if not conforms:
        raise ValidationError(report)


def _start_validation(ontology: Graph, asserted: list, shapes: Graph) -> Callable[[], tuple[bool, str]]:
    """Start SHACL validation; the returned function waits for ``(conforms, report_text)``."""
    if len(asserted) < PARALLEL_VALIDATION_FROM or "fork" not in multiprocessing.get_all_start_methods():
        result = _validate(ontology, asserted, shapes)

        def done() -> tuple[bool, str]:
            return result
        done.done = True
        return done
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(
        target=_validate_into, args=(sender, ontology, asserted, shapes), daemon=True)
    child.start()
    sender.close()

    def wait() -> tuple[bool, str]:
        try:
            result = receiver.recv()
        except EOFError:
            raise RuntimeError(f"SHACL validation process died (exit code {child.exitcode})") from None
        child.join()
        return result
    wait.done = False
    return wait


def _validate(ontology: Graph, asserted: list, shapes: Graph) -> tuple[bool, str]:
    data = Graph()
    data.addN((s, p, o, data) for s, p, o in asserted)
    conforms, _, report = validate(data, shapes, ontology)
    return conforms, report


def _validate_into(sender, ontology, asserted, shapes) -> None:
    sender.send(_validate(ontology, asserted, shapes))
    sender.close()
