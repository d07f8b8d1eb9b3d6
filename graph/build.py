"""The pipeline: load -> validate (SHACL) -> reason (OWL 2 RL) -> dataset, and its export.

``build`` returns an rdflib ``Dataset`` with three named graphs (ontology, asserted, inferred)
whose default graph is their union; ``build_to`` also writes the dumps, atomically.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from rdflib import Dataset

from .export import export
from .iris import ASSERTED, FACTS_DIR, INFERRED, ONTOLOGY, ONTOLOGY_DIR
from .load import load, load_shapes
from .reason import infer
from .validate import ValidationError, validate

Progress = Callable[[str], None]


def build(ontology_dir: Path = ONTOLOGY_DIR, facts_dir: Path = FACTS_DIR,
          progress: Progress | None = None) -> Dataset:
    """Load, validate and reason; raise ``FactFileError`` or ``ValidationError`` on bad input.

    >>> from graph import build, INFERRED
    >>> len(build().graph(INFERRED)) > 0
    True
    """
    say = progress or (lambda message: None)
    say("loading ontology and facts")
    dataset = load(ontology_dir, facts_dir)
    ontology, asserted = dataset.graph(ONTOLOGY), dataset.graph(ASSERTED)
    say(f"validating {len(asserted)} asserted triples against the SHACL shapes")
    conforms, _, report = validate(asserted, load_shapes(ontology_dir), ontology)
    if not conforms:
        raise ValidationError(report)
    say("reasoning (OWL 2 RL)")
    dataset.graph(INFERRED).__iadd__(infer(ontology, asserted))
    return dataset


def build_to(out_dir: Path, ontology_dir: Path = ONTOLOGY_DIR, facts_dir: Path = FACTS_DIR,
             progress: Progress | None = None) -> Dataset:
    """Build and write the dumps to ``out_dir``; on any failure ``out_dir`` is left untouched."""
    dataset = build(ontology_dir, facts_dir, progress)
    if progress:
        progress(f"writing dumps to {out_dir}")
    export(dataset, Path(out_dir), ontology_dir)
    return dataset
