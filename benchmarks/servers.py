"""The servers a benchmark compares, each started on the same dump and stopped afterwards.

- ``floor``: benchmarks/floor.py, the HTTP floor of Flask + gunicorn;
- ``aesc-rdflib``, ``aesc-oxigraph``: ``aesc-kg serve --store ...`` with the answer cache off;
- ``aesc-cached``: ``aesc-kg serve --store oxigraph`` with the answer cache on (the default);
- ``oxigraph``: the Oxigraph server (PyPI ``oxigraph``), ``serve-read-only --union-default-graph``;
- ``rdflib-endpoint``: rdflib-endpoint (PyPI, FastAPI + uvicorn over rdflib) on a union Dataset.

The peers live in venvs under the benchmark cache (``~/.cache/aesc-kg-bench/<name>``), made with
``pip`` on first use.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.data import CACHE, ROOT

SERVERS = ("floor", "aesc-rdflib", "aesc-oxigraph", "aesc-cached", "oxigraph", "rdflib-endpoint")
RDFLIB_ENDPOINT = """
import sys, uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
ds = Dataset(default_union=True)
ds.parse(sys.argv[1], format="nquads")
uvicorn.run(SparqlEndpoint(graph=ds, path="/sparql"), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


@dataclass
class Running:
    name: str
    url: str
    process: subprocess.Popen
    started: float                       # seconds from launch to the first answered query
    log: Path
    extra: list = field(default_factory=list)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def venv(name: str, packages: list[str], log=print) -> Path:
    """``CACHE/name``, a venv with ``packages`` installed (made on first use)."""
    home = CACHE / name
    marker = home / ".installed"
    if not marker.exists():
        log(f"creating venv {home} with {' '.join(packages)} ...")
        subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
        subprocess.run([str(home / "bin" / "pip"), "install", "-q", *packages], check=True)
        marker.write_text(" ".join(packages))
    return home / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(name: str, dumps: Path, workdir: Path, log=print) -> Running:
    """Start server ``name`` on ``dumps`` and wait until it answers a query."""
    port, logfile = free_port(), workdir / f"{name}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["PYTHONPATH"] = str(ROOT)
    serve = [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--data", str(dumps),
             "--max-rows", "100000", "--timeout", "60", "--log-level", "WARNING"]
    if name == "floor":
        cmd = [sys.executable, "-m", "benchmarks.floor", str(port)]
    elif name == "aesc-rdflib":
        cmd = serve + ["--store", "rdflib", "--result-cache", "0"]
    elif name == "aesc-oxigraph":
        cmd = serve + ["--store", "oxigraph", "--result-cache", "0"]
    elif name == "aesc-cached":
        cmd = serve + ["--store", "oxigraph"]
    elif name == "oxigraph":
        bin_ = venv("oxigraph", ["oxigraph"], log)
        location = workdir / "oxigraph-db"
        shutil.rmtree(location, ignore_errors=True)
        subprocess.run([str(bin_ / "oxigraph"), "load", "--location", str(location), "--file",
                        str(dumps / "dataset.nq")], check=True, capture_output=True)
        cmd = [str(bin_ / "oxigraph"), "serve-read-only", "--location", str(location), "--bind",
               f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", "60"]
    elif name == "rdflib-endpoint":
        bin_ = venv("rdflib-endpoint", ["rdflib-endpoint", "uvicorn"], log)
        cmd = [str(bin_ / "python"), "-c", RDFLIB_ENDPOINT, str(dumps / "dataset.nq"), str(port)]
    else:
        raise ValueError(f"unknown server {name!r}; known: {', '.join(SERVERS)}")
    began = time.perf_counter()
    with open(logfile, "wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/sparql" if name != "oxigraph" else f"http://127.0.0.1:{port}/query"
    try:
        _wait(url, process, logfile)
    except BaseException:
        process.kill()
        raise
    return Running(name, url, process, time.perf_counter() - began, logfile)


def _wait(url: str, process, logfile: Path, limit: float = 900) -> None:
    probe = url + "?query=ASK%7B%7D"
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited {process.returncode}:\n{logfile.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(urllib.request.Request(
                    probe, headers={"Accept": "application/sparql-results+json"}), timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer within {limit} s")
