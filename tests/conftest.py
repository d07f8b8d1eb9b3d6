"""Shared fixtures for the builder tests: one build of the shipped graph per session.

``dataset`` is the shipped graph as ``graph.build()`` makes it and ``dumps`` the folder
``graph.build_to`` writes for it; both come from one ``build_to`` call per session (about 5 s),
reused read-only by all tests. ``facts_dir`` makes a fresh facts folder from the fixtures in
tests/data. Nothing here needs the network or /work/shared; ``article_text`` skips the tests that
need the seed article when it is absent.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Dataset

import graph
from graph.iris import ROOT

DATA = Path(__file__).resolve().parent / "data"
MINIMAL = DATA / "minimal"
ARTICLE = Path(ROOT).parent / "shared" / "seed" / "aesc-article.txt"

# Note for the test modules: rdflib 7.6 warns about its *own* use of its deprecated Dataset API
# (Dataset.triples reads default_context, the N-Quads writer calls contexts; RDFLib/rdflib#3475),
# and pyproject turns warnings into errors. Each module therefore sets
#     pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
# which ignores only DeprecationWarnings attributed to rdflib's own modules.


@pytest.fixture(scope="session")
def _shipped_build(tmp_path_factory) -> tuple[Dataset, Path]:
    """One ``graph.build_to`` of the shipped graph: the dataset it returns and the folder it wrote.

    ``build_to`` returns the very dataset ``graph.build()`` makes (it calls it), so building once
    serves both fixtures below and saves a second ~3.5 s build per session.
    """
    out = tmp_path_factory.mktemp("build") / "dumps"
    return graph.build_to(out), out


@pytest.fixture(scope="session")
def dataset(_shipped_build) -> Dataset:
    """The shipped graph (= ``graph.build()``): ontology, asserted and inferred named graphs."""
    return _shipped_build[0]


@pytest.fixture(scope="session")
def dumps(_shipped_build) -> Path:
    """The folder ``graph.build_to`` wrote for the shipped graph (treat it as read-only)."""
    return _shipped_build[1]


@pytest.fixture
def facts_dir(tmp_path) -> Callable[..., Path]:
    """``facts_dir(*extra, base=MINIMAL)``: a fresh folder with the base facts plus extra files."""
    def make(*extra: Path, base: Path | None = MINIMAL) -> Path:
        folder = tmp_path / "facts"
        folder.mkdir()
        if base is not None:
            for path in sorted(Path(base).glob("*.ttl")):
                shutil.copy(path, folder / path.name)
        for path in extra:
            shutil.copy(path, folder / Path(path).name)
        return folder
    return make


@pytest.fixture(scope="session")
def article_text() -> str:
    """The seed article the facts quote; the tests that need it skip when it is not there."""
    if not ARTICLE.is_file():
        pytest.skip(f"seed article not available: {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")
