"""The README stays true: its commands, formats and canned queries match the project."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.formats import FORMATS
from graph.queries import load_queries

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_serve_and_test_commands():
    commands = re.findall(r"^    (pip install .+)$", README, re.M)
    assert commands[:2] == ["pip install -e . && aesc-kg serve",
                            "pip install -e '.[test]' && python -m pytest"]


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = re.findall(r"^    (pip install .+)$", README, re.M)[1]
    assert test_command in ci.splitlines()


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_format_is_documented(fmt):
    assert f"`{fmt.name}`" in README and fmt.media_type in README


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_canned_query_is_documented(name):
    assert f"`{name}`" in README


def test_every_cli_command_is_documented():
    from graph.cli import _parser
    sub = next(a for a in _parser()._actions if a.dest == "command")
    for command in sub.choices:
        assert f"aesc-kg {command}" in README
