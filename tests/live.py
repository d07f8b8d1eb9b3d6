"""Helpers for tests that start a real `aesc-kg serve` process."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests


def wait_until_up(root: str, process, log: Path, limit: float = 120) -> None:
    """Wait for ``root/healthz``; fail with the server's log if it exits or never answers."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{root}/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.2)
    pytest.fail(f"serve did not come up in {limit} s:\n{log.read_text()[-3000:]}")
