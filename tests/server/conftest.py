"""Fixtures for the endpoint tests: apps from the factory, a live gunicorn server, a TCP trap.

The small dataset (data/small.trig) is parsed once per session; ``app`` and its variants are
``create_app`` with a mapping (never the environment). ``live_server`` runs ``serve`` in a
subprocess on a free 127.0.0.1 port over the real build when it works (else the small dataset),
and ``listener`` is a local TCP socket that counts the connections it receives (SSRF tests).
No fixture needs the network or /work/shared.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset

from server import create_app
from server.kg import close_pool
from tests.live import wait_until_up

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
# rdflib 7.6 warns about its *own* use of deprecated Dataset API (RDFLib/rdflib#3475); the
# filter matches only warnings attributed to rdflib's modules, ours still fail the test.
RDFLIB_INTERNAL = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(RDFLIB_INTERNAL)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(DATA / "small.trig", format="trig")
    return ds


def _app(dataset, **config):
    app = create_app({"TESTING": True, "DATASET": dataset, "QUERY_WORKERS": 2,
                      "QUERY_TIMEOUT": 3, **config})
    yield app
    close_pool(app)


STORES = ["rdflib", "oxigraph"]  # every test using ``app`` / ``client`` runs on both backends


@pytest.fixture(scope="session", params=STORES)
def app(dataset, request):
    yield from _app(dataset, STORE=request.param)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def real_app(dumps):
    """The app over the real AESC build (its dumps), for the page tests."""
    app = create_app({"TESTING": True, "DATA_DIR": str(dumps), "QUERY_WORKERS": 2, "QUERY_TIMEOUT": 10})
    yield app
    close_pool(app)


@pytest.fixture
def web(real_app):
    return real_app.test_client()


@pytest.fixture(scope="session")
def strict_app(dataset):
    """Small limits, so each one can be hit cheaply."""
    yield from _app(dataset, MAX_ROWS=5, MAX_QUERY_LENGTH=300, MAX_CONTENT_LENGTH=2000,
                    QUERY_TIMEOUT=1, QUERY_WORKERS=2)


@pytest.fixture
def strict_client(strict_app):
    return strict_app.test_client()


# --------------------------------------------------------------------------- live server
@dataclass
class LiveServer:
    url: str            # the endpoint, .../sparql
    root: str           # http://127.0.0.1:PORT
    dataset: Dataset    # the same data, loaded here, to compute expected answers
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture(scope="session")
def project_env() -> tuple[Path, dict]:
    """(repository root, environment) for running project code in a subprocess."""
    return ROOT, _clean_env()


@pytest.fixture(scope="session")
def live_data(tmp_path_factory) -> Path:
    """A dump directory: the real ``build_to`` output, or the small dataset when the build fails."""
    out = tmp_path_factory.mktemp("dump")
    script = "import sys, pathlib; from graph import build_to; build_to(pathlib.Path(sys.argv[1]))"
    built = subprocess.run([sys.executable, "-c", script, str(out)], cwd=ROOT, env=_clean_env(),
                           capture_output=True, text=True, timeout=300)
    if built.returncode != 0 or not (out / "dataset.nq").exists():
        print(f"real build unavailable, serving data/small.trig:\n{built.stderr[-2000:]}")
        ds = Dataset()
        ds.parse(DATA / "small.trig", format="trig")
        ds.serialize(out / "dataset.nq", format="nquads")
    return out


@pytest.fixture(scope="session")
def live_server(live_data, tmp_path_factory):
    port, log = _free_port(), tmp_path_factory.mktemp("log") / "server.log"
    cmd = [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--data", str(live_data),
           "--timeout", "2", "--query-workers", "2", "--threads", "8", "--max-rows", "50000"]
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, env=_clean_env(), stdout=out, stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(root, process, log)
        local = Dataset(default_union=True)
        local.parse(live_data / "dataset.nq", format="nquads")
        yield LiveServer(f"{root}/sparql", root, local, log)
    finally:
        process.terminate()
        process.wait(timeout=30)




# --------------------------------------------------------------------------- SSRF trap
class Listener:
    """A local TCP server that accepts and counts connections (and answers nothing useful)."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    trap = Listener()
    yield trap
    trap.close()
