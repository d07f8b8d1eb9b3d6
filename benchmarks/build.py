"""Build benchmark: parse, validate, reason and export at each size, with time and peak memory.

    python -m benchmarks.build [--sizes 10000 100000 1000000]

Each size runs in its own subprocess (so peak RSS, ``resource.getrusage(...).ru_maxrss``, is that
size's alone) over ``graph/facts`` + ``benchmarks.synth`` facts, calling the pipeline's functions
one by one: ``graph.load.load``, ``graph.validate.validate``, ``graph.reason.infer``,
``graph.export.export``. Prints a table and writes ``benchmarks/results/build.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.data import CACHE, ROOT


def one(size: int) -> dict:
    """Run the pipeline on ``size`` synthetic triples in this process; timings and peak memory."""
    from benchmarks.synth import generate
    from graph.iris import ASSERTED, INFERRED, ONTOLOGY, ONTOLOGY_DIR
    from graph.export import export
    from graph.load import load, load_shapes
    from graph.reason import infer
    from graph.validate import validate
    facts = Path(tempfile.mkdtemp(prefix="aesc-kg-build-"))
    for path in (ROOT / "graph" / "facts").glob("*.ttl"):
        shutil.copy(path, facts / path.name)
    generate(size).serialize(facts / "synthetic.ttl", format="turtle")
    times = {}
    t = time.perf_counter()
    dataset = load(ONTOLOGY_DIR, facts)
    times["parse"] = time.perf_counter() - t
    ontology, asserted = dataset.graph(ONTOLOGY), dataset.graph(ASSERTED)
    t = time.perf_counter()
    conforms, _, _ = validate(asserted, load_shapes(ONTOLOGY_DIR), ontology)
    times["validate"] = time.perf_counter() - t
    t = time.perf_counter()
    dataset.graph(INFERRED).__iadd__(infer(ontology, asserted))
    times["reason"] = time.perf_counter() - t
    out = facts / "dumps"
    t = time.perf_counter()
    export(dataset, out, ONTOLOGY_DIR)
    times["export"] = time.perf_counter() - t
    shutil.rmtree(facts, ignore_errors=True)
    return {"size": size, "asserted": len(asserted), "inferred": len(dataset.graph(INFERRED)),
            "conforms": conforms, "seconds": {k: round(v, 2) for k, v in times.items()},
            "total_s": round(sum(times.values()), 2),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.build", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the subprocess's own size
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one)))
        return 0
    rows = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for size in args.sizes:
        done = subprocess.run([sys.executable, "-m", "benchmarks.build", "--one", str(size)], cwd=ROOT,
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            rows.append({"size": size, "error": done.stderr[-1500:]})
            print(f"{size}: failed\n{done.stderr[-1500:]}", file=sys.stderr)
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(_line(rows[-1]), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "build.json").write_text(json.dumps(rows, indent=1) + "\n")
    return 0


def _line(r: dict) -> str:
    s = r["seconds"]
    return (f"{r['size']:>9} synthetic: asserted {r['asserted']}, inferred {r['inferred']}; parse {s['parse']} s, "
            f"validate {s['validate']} s, reason {s['reason']} s, export {s['export']} s; total {r['total_s']} s; "
            f"peak RSS {r['peak_rss_mib']} MiB")


CACHE = CACHE  # re-exported for callers that want the data folder

if __name__ == "__main__":
    sys.exit(main())
