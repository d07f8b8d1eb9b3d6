"""Build benchmark: parse, validate, reason and export at each size, with time and peak memory.

    python -m benchmarks.build [--sizes 10000 100000 1000000]

Each size runs in its own subprocess (so peak RSS, ``resource.getrusage(...).ru_maxrss``, is that
size's alone) over ``graph/facts`` + ``benchmarks.synth`` facts, calling the pipeline's functions
one by one: ``graph.load.load``, ``graph.validate.validate``, ``graph.reason.infer``,
``graph.export.export``. Then, in a second subprocess, the whole build as ``aesc-kg build`` runs
it (``graph.build_to(..., dataset=False)``: no rdflib dataset, validation in a forked process beside
reasoning on large inputs, dumps written while it runs), with its wall time and the peak RSS of the
process and of its validation child. Prints a table and writes ``benchmarks/results/build.json``.
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


def _facts(size: int) -> Path:
    from benchmarks.synth import generate
    facts = Path(tempfile.mkdtemp(prefix="aesc-kg-build-"))
    for path in (ROOT / "graph" / "facts").glob("*.ttl"):
        shutil.copy(path, facts / path.name)
    generate(size).serialize(facts / "synthetic.ttl", format="turtle")
    return facts


def whole(size: int) -> dict:
    """``graph.build_to`` end to end, as the CLI runs it: wall time and peak memory."""
    from graph import build_to
    facts = _facts(size)
    t = time.perf_counter()
    build_to(facts / "dumps", facts_dir=facts, dataset=False)
    seconds = time.perf_counter() - t
    shutil.rmtree(facts, ignore_errors=True)
    return {"size": size, "build_to_s": round(seconds, 1),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "child_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}


def one(size: int) -> dict:
    """Run the pipeline on ``size`` synthetic triples in this process; timings and peak memory."""
    from graph.iris import ASSERTED, INFERRED, ONTOLOGY, ONTOLOGY_DIR
    from graph.export import export
    from graph.load import load, load_shapes
    from graph.reason import infer
    from graph.validate import validate
    facts = _facts(size)
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
    parser.add_argument("--whole", type=int, help=argparse.SUPPRESS)  # the same, end to end
    parser.add_argument("--phases-up-to", type=int, default=100_000,
                        help="measure the phases one by one only up to this size (default 100000: the "
                             "phase-by-phase path holds an rdflib dataset, which is slow at 10^6)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args(argv)
    if args.one or args.whole:
        print(json.dumps(one(args.one) if args.one else whole(args.whole)))
        return 0
    rows = []
    for size in args.sizes:
        row = {"size": size}
        modes = ("--one", "--whole") if size <= args.phases_up_to else ("--whole",)
        for mode in modes:
            row.update(_run(mode, size))
        rows.append(row)
        print(_line(row), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "build.json").write_text(json.dumps(rows, indent=1) + "\n")
    return 0


def _run(mode: str, size: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "benchmarks.build", mode, str(size)], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"{size} {mode}: failed\n{done.stderr[-1500:]}", file=sys.stderr)
        return {f"error{mode}": done.stderr[-1500:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if mode == "--whole":  # keep the phase run's own peak under its own name
        result = {k if k == "size" or k == "build_to_s" else f"whole_{k}": v for k, v in result.items()}
    return result


def _line(r: dict) -> str:
    text = f"{r['size']:>9} synthetic:"
    if "seconds" in r:
        s = r["seconds"]
        text += (f" asserted {r['asserted']}, inferred {r['inferred']}; parse {s['parse']} s, "
                 f"validate {s['validate']} s, reason {s['reason']} s, export {s['export']} s; "
                 f"total {r['total_s']} s, peak RSS {r['peak_rss_mib']} MiB;")
    if "build_to_s" in r:
        text += (f" end to end {r['build_to_s']} s, peak RSS {r['whole_peak_rss_mib']} MiB"
                 f" + validation child {r['whole_child_peak_rss_mib']} MiB")
    return text


CACHE = CACHE  # re-exported for callers that want the data folder

if __name__ == "__main__":
    sys.exit(main())
