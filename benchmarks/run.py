"""Query throughput and latency of aesc-kg against its peers, in interleaved rounds.

    python -m benchmarks.run [--sizes 10000 100000] [--quick] [--servers ...] [--out DIR]

For each size: build (or reuse) the dataset, start every server of benchmarks/servers.py on it,
check each query once on each (status, answer size), then measure every query at concurrency 1
and 8, one server after the other *within* each (query, concurrency) slot and round, so that
machine noise hits all servers alike. Medians over rounds are printed as a table with the ratios
to the peers and to the HTTP floor, and written to ``DIR/results.json`` and ``DIR/chart-<size>.svg``.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks import loadgen
from benchmarks.data import prepare
from benchmarks.queries import ACCEPT, canned, synthetic
from benchmarks.report import chart, table
from benchmarks.servers import SERVERS, start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--quick", action="store_true", help="1 round of 1 s per measurement")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per measurement (default 3)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--servers", nargs="+", default=list(SERVERS), choices=SERVERS)
    parser.add_argument("--only", nargs="+", default=None, help="run only queries whose name contains one of these")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached datasets")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.rounds = 1.0, 1
    queries = [q for q in canned() + synthetic() if not args.only or any(o in q.name for o in args.only)]
    report = {"machine": machine(), "loadgen": loadgen.tool(), "duration": args.duration,
              "rounds": args.rounds, "sizes": {}}
    for size in args.sizes:
        report["sizes"][str(size)] = bench_size(size, queries, args)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "results.json").write_text(json.dumps(report, indent=1) + "\n")
        (args.out / f"chart-{size}.svg").write_text(chart(report["sizes"][str(size)], size))
        print(table(report["sizes"][str(size)], size))
    return 0


def bench_size(size: int, queries, args) -> dict:
    dumps = prepare(size, args.rebuild, log=lambda m: print(m, file=sys.stderr))
    workdir = Path(tempfile.mkdtemp(prefix=f"aesc-kg-bench-{size}-"))
    running, out = {}, {"startup_s": {}, "checks": {}, "results": {}}
    try:
        for name in args.servers:
            running[name] = start(name, dumps, workdir, log=lambda m: print(m, file=sys.stderr))
            out["startup_s"][name] = round(running[name].started, 2)
        for q in queries:
            out["checks"][q.name] = {n: check(r.url, q) for n, r in running.items() if n != "floor"}
        for round_ in range(args.rounds):
            for q in queries:
                for c in args.concurrency:
                    for name, server in running.items():
                        key = f"{q.name}|{c}|{name}"
                        checked = out["checks"][q.name].get(name, {"status": 200, "first_ms": 0})
                        if checked["status"] != 200:
                            continue
                        if checked["first_ms"] > SLOW_MS:  # a load test would leave a backlog behind
                            m = checked.setdefault("timed", {}).get(round_) or slow(server.url, q, checked)
                            checked["timed"][round_] = m
                        else:
                            m = loadgen.measure(_url(server.url, q), {"Accept": ACCEPT[q.kind]}, c,
                                                args.duration, warmup=0 if args.quick else 1)
                            drain(server.url)
                        out["results"].setdefault(key, []).append(m._asdict())
                        print(f"[{size} r{round_}] {q.name:28} c={c} {name:16} {m.rps:9.1f} req/s "
                              f"p50 {m.p50:8.2f} ms p99 {m.p99:8.2f} ms err {m.errors}", file=sys.stderr)
    finally:
        for server in running.values():
            server.stop()
    out["results"] = {k: _median(v) for k, v in out["results"].items()}
    return out


def check(url: str, q) -> dict:
    """One request: status, answer size (rows or triples) and time, to spot wrong or failing servers."""
    started = time.perf_counter()
    try:
        req = urllib.request.Request(_url(url, q), headers={"Accept": ACCEPT[q.kind]})
        with urllib.request.urlopen(req, timeout=120) as r:
            body, status = r.read(), r.status
    except urllib.error.HTTPError as e:
        return {"status": e.code, "size": None, "error": e.read()[:300].decode("utf-8", "replace")}
    except OSError as e:
        return {"status": 0, "size": None, "error": str(e)}
    elapsed = time.perf_counter() - started
    if q.kind == "graph":
        size = len({line for line in body.decode().splitlines() if line.strip()})
    else:
        data = json.loads(body)
        size = len(data["results"]["bindings"]) if "results" in data else int(data["boolean"])
    return {"status": status, "size": size, "first_ms": round(elapsed * 1e3, 2)}


SLOW_MS = 1000  # answers slower than this are timed one by one, not under load


def slow(url: str, q, checked: dict) -> loadgen.Measure:
    """A query too slow to load-test: the checked answer and one more, in sequence; rate = 1 / median
    time (measured once per round, used for every concurrency)."""
    took = sorted([checked["first_ms"], check(url, q)["first_ms"]])
    p50 = statistics.median(took)
    return loadgen.Measure(1e3 / p50, p50, took[-1], len(took), 0)


def drain(url: str) -> None:
    """Wait until the server has finished the requests a load test left behind (wrk stops
    waiting at the end of its run; the server does not), so the next measurement starts clean."""
    probe = urllib.request.Request(url + "?query=ASK%7B%7D", headers={"Accept": ACCEPT["results"]})
    try:
        urllib.request.urlopen(probe, timeout=120).read()
    except OSError:
        pass


def _url(endpoint: str, q) -> str:
    return endpoint + "?" + urllib.parse.urlencode({"query": q.text})


def _median(measures: list[dict]) -> dict:
    return {k: statistics.median(m[k] for m in measures) for k in measures[0]}


def machine() -> dict:
    import os
    return {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(), "system": platform.platform(),
            "cpu_model": _cpu_model()}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


if __name__ == "__main__":
    sys.exit(main())
