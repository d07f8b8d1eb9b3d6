"""Benchmark datasets: the shipped AESC facts plus N synthetic triples, built and dumped once.

``prepare(size)`` returns a folder with the dumps of ``aesc-kg build`` (``dataset.nq``, ...) over
``graph/facts/*.ttl`` + ``benchmarks.synth`` facts of about ``size`` triples, so the canned queries
have real answers and the synthetic ones have volume. Folders are cached under
``~/.cache/aesc-kg-bench/data/<size>`` (``AESC_KG_BENCH_CACHE`` moves the cache).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("AESC_KG_BENCH_CACHE", Path.home() / ".cache" / "aesc-kg-bench"))


def prepare(size: int, rebuild: bool = False, log=print) -> Path:
    """The dump folder for ``size`` synthetic triples (built in a subprocess when missing)."""
    out = CACHE / "data" / str(size)
    if (out / "dumps" / "dataset.nq").is_file() and not rebuild:
        return out / "dumps"
    facts = out / "facts"
    shutil.rmtree(out, ignore_errors=True)
    facts.mkdir(parents=True)
    for path in sorted((ROOT / "graph" / "facts").glob("*.ttl")):
        shutil.copy(path, facts / path.name)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log(f"generating {size} synthetic triples ...")
    subprocess.run([sys.executable, "-m", "benchmarks.synth", "--triples", str(size), "--out",
                    str(out / "synth")], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    shutil.copy(out / "synth" / "facts.ttl", facts / "synthetic.ttl")
    log(f"building and dumping ({size}) ...")
    script = ("import sys, pathlib; from graph import build_to; "
              "build_to(pathlib.Path(sys.argv[1]), facts_dir=pathlib.Path(sys.argv[2]))")
    subprocess.run([sys.executable, "-c", script, str(out / "dumps"), str(facts)], cwd=ROOT,
                   env=env, check=True)
    return out / "dumps"


def shipped(rebuild: bool = False) -> Path:
    """The dumps of the shipped AESC graph alone."""
    out = CACHE / "data" / "aesc"
    if not (out / "dataset.nq").is_file() or rebuild:
        script = "import sys, pathlib; from graph import build_to; build_to(pathlib.Path(sys.argv[1]))"
        subprocess.run([sys.executable, "-c", script, str(out)], cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    return out
