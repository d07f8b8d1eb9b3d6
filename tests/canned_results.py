"""Run a canned query and reduce its result to plain JSON, for exact comparison in tests.

Terms are written in N-Triples syntax (full IRIs, datatypes, language tags), so a change of
datatype or language counts as a change. Regenerate the expected files after a deliberate change
of facts or queries with ``python -m tests.canned_results`` and review the diff.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

EXPECTED_DIR = Path(__file__).parent / "expected"


def run(dataset, query, values: dict | None = None) -> dict:
    result = dataset.query(query.sparql, initBindings=query.bindings(values))
    if result.type == "ASK":
        return {"boolean": bool(result.askAnswer)}
    if result.type != "SELECT":
        return {"triples": sorted(" ".join(t.n3() for t in triple) for triple in result.graph)}
    names = [str(v) for v in result.vars]
    return {"vars": names, "rows": [[None if row[v] is None else row[v].n3() for v in result.vars] for row in result]}


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from graph import build
    from graph.queries import load_queries

    dataset = build()
    for name, query in load_queries().items():
        path = EXPECTED_DIR / f"{name}.json"
        path.write_text(json.dumps(run(dataset, query), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
