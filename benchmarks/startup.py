"""Start-up of ``aesc-kg serve``: seconds from launch to the first answered query, and what in it.

    python -m benchmarks.startup [--store rdflib|oxigraph] [--data DIR] [--repeat 3]

Runs the real command (no ``--data``: the graph is built in memory from the shipped files) and
polls ``/sparql`` until a query is answered; then times the phases in one process: imports,
``graph.build()``, opening the store, its ETag and counts, and creating the app.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from benchmarks.data import ROOT
from benchmarks.servers import _wait, free_port

PHASES = r"""
import time, sys, json
t0 = time.perf_counter(); out = {}
import rdflib, flask, gunicorn  # noqa
out["import rdflib+flask+gunicorn"] = time.perf_counter() - t0
t = time.perf_counter(); import graph, server  # noqa
out["import graph+server"] = time.perf_counter() - t
config = {"STORE": sys.argv[1], "DATA_DIR": sys.argv[2] or None}
if not config["DATA_DIR"]:
    t = time.perf_counter(); ds = graph.build(); out["graph.build()"] = time.perf_counter() - t
    config["DATASET"] = ds if sys.argv[1] == "rdflib" else None
t = time.perf_counter()
from server.store import open_store, RdflibStore
if config["DATA_DIR"] or sys.argv[1] == "oxigraph":
    store = open_store(config) if config["DATA_DIR"] else __import__("server.oxigraph_store", fromlist=["x"]).OxigraphStore.from_dataset(ds)
else:
    from graph.iris import PREFIXES; from graph.void import void_graph
    store = RdflibStore(ds, PREFIXES, void_graph)
out["open store"] = time.perf_counter() - t
t = time.perf_counter(); store.etag; out["etag"] = time.perf_counter() - t
t = time.perf_counter(); store.triples(); store.graphs(); out["counts"] = time.perf_counter() - t
t = time.perf_counter(); from server import create_app; create_app({"STORE": store}); out["create_app"] = time.perf_counter() - t
print(json.dumps({k: round(v, 3) for k, v in out.items()}))
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup")
    parser.add_argument("--store", default="rdflib", choices=["rdflib", "oxigraph"])
    parser.add_argument("--data", default="", help="serve this dump dir instead of building in memory")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["PYTHONPATH"] = str(ROOT)
    times = []
    for _ in range(args.repeat):
        port = free_port()
        cmd = [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--store", args.store,
               "--log-level", "WARNING"] + (["--data", args.data] if args.data else [])
        began = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(f"http://127.0.0.1:{port}/sparql", process, ROOT / "README.md", limit=120)
            times.append(time.perf_counter() - began)
        finally:
            process.terminate()
            process.wait()
    print(f"aesc-kg serve --store {args.store} {'--data ' + args.data if args.data else '(build in memory)'}: "
          f"first answer after {statistics.median(times):.2f} s (median of {len(times)}: "
          f"{', '.join(f'{t:.2f}' for t in times)})")
    phases = subprocess.run([sys.executable, "-c", PHASES, args.store, args.data], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    print("phases (one process):", phases.stdout.strip() or phases.stderr[-1500:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
