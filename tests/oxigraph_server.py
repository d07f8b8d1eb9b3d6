"""A real Oxigraph server (the ``oxigraph`` binary of the PyPI package ``oxigraph``) for the tests.

``OxigraphServer(folder).start()`` runs ``oxigraph serve --location folder --bind 127.0.0.1:PORT``
on a free port and waits until it answers; ``stop()`` terminates it. Its endpoints are ``store``
(SPARQL 1.1 Graph Store Protocol), ``query`` and ``update``. Tests that need it call
:func:`require_oxigraph`, which skips with the reason when the binary cannot be found.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

BINARY = shutil.which("oxigraph")


def require_oxigraph() -> str:
    if BINARY is None:
        pytest.skip("the Oxigraph server binary is not installed: pip install oxigraph "
                    "(it is in the 'test' extra of pyproject.toml)")
    return BINARY


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    def __init__(self, folder: Path, *extra: str):
        self.folder, self.extra = Path(folder), extra
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.store, self.query, self.update = (f"{self.root}/{p}" for p in ("store", "query", "update"))
        self.process = None

    def start(self) -> "OxigraphServer":
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log = open(self.folder.parent / f"oxigraph-{self.port}.log", "wb")
        self.process = subprocess.Popen(
            [require_oxigraph(), "serve", "--location", str(self.folder),
             "--bind", f"127.0.0.1:{self.port}", *self.extra], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {self.process.returncode}")
            try:
                urllib.request.urlopen(f"{self.query}?query=ASK%7B%7D", timeout=2).close()
                return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph did not answer within 30 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        if self.process is not None:
            self.log.close()

    def run_update(self, text: str) -> None:
        body = urllib.parse.urlencode({"update": text}).encode()
        urllib.request.urlopen(urllib.request.Request(self.update, data=body), timeout=30).close()

    def put(self, graph: str, ntriples: str) -> None:
        url = f"{self.store}?{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(url, data=ntriples.encode("utf-8"), method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        urllib.request.urlopen(request, timeout=30).close()

    def nquads(self) -> str:
        """The whole store as N-Quads (GET /store with no graph: the dataset)."""
        request = urllib.request.Request(self.store, headers={"Accept": "application/n-quads"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode("utf-8")
