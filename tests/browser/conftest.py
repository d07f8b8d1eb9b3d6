"""Fixtures for the browser tests: the real server (gunicorn, ``serve --data``) and headless Chromium.

The server runs ``python -m server.cli serve`` in a subprocess on a free 127.0.0.1 port over the
dumps of one build (the ``dumps`` fixture of tests/conftest.py), so the home page also lists
``/dumps/...``. Chromium is Debian's ``/usr/bin/chromium`` driven by Playwright for Python (never a
downloaded browser); without either the tests are skipped with the reason. Nothing here reaches the
network: the pages load only the server's own files.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from tests.live import wait_until_up  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("KG_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def site(dumps, tmp_path_factory):
    """The base URL of a running ``serve --data <dumps>``."""
    port, log = _free_port(), tmp_path_factory.mktemp("browser") / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["PYTHONPATH"] = str(ROOT)
    cmd = [sys.executable, "-m", "server.cli", "serve", "--port", str(port), "--data", str(dumps),
           "--timeout", "5", "--query-workers", "2", "--threads", "8"]
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(root, process, log)
        yield root
    finally:
        process.terminate()
        process.wait(timeout=30)




@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed "
                                   "(pip install playwright; the browser is Debian's chromium)")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site):
    """A fresh page that fails the test on any script error or CSP violation it reports."""
    context = browser.new_context(base_url=site)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" and "status of 4" not in msg.text else None)
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not problems, problems
