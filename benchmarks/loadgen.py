"""The load generator: Debian's ``wrk`` when installed, else threads with keep-alive connections.

Both keep ``concurrency`` connections busy for ``duration`` seconds after a warm-up and report
requests per second, p50 and p99 latency (ms) and the number of non-2xx answers or errors.
The Python fallback competes with the servers for the GIL-free cores; wrk (C, one thread) much
less, so figures from the two are not comparable: the JSON records which one ran.
"""
from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
from typing import NamedTuple


class Measure(NamedTuple):
    rps: float
    p50: float     # ms
    p99: float     # ms
    requests: int
    errors: int    # non-2xx answers, socket errors, timeouts


def tool() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def measure(url: str, headers: dict, concurrency: int, duration: float, warmup: float = 0.5) -> Measure:
    """Load ``url`` (a GET) and measure."""
    if tool() == "wrk":
        return _wrk(url, headers, concurrency, duration, warmup)
    return _threads(url, headers, concurrency, duration, warmup)


def _wrk(url, headers, concurrency, duration, warmup) -> Measure:
    args = ["wrk", "-t1", f"-c{concurrency}", "--latency", "--timeout", "30s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    if warmup:
        subprocess.run(args + [f"-d{max(1, round(warmup))}s", url], capture_output=True, check=False)
    out = subprocess.run(args + [f"-d{max(1, round(duration))}s", url], capture_output=True,
                         text=True, check=False).stdout
    rps = float(_find(r"Requests/sec:\s+([\d.]+)", out) or 0)
    requests = int(_find(r"(\d+) requests in", out) or 0)
    errors = int(_find(r"Non-2xx or 3xx responses:\s+(\d+)", out) or 0)
    socket = _find(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out, all_=True)
    errors += sum(map(int, socket or ()))
    return Measure(rps, _ms(_find(r"\s50%\s+([\d.]+\w+)", out)), _ms(_find(r"\s99%\s+([\d.]+\w+)", out)),
                   requests, errors)


def _find(pattern, text, all_=False):
    match = re.search(pattern, text)
    if not match:
        return None
    return match.groups() if all_ else match.group(1)


def _ms(value: str | None) -> float:
    if not value:
        return float("nan")
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def _threads(url, headers, concurrency, duration, warmup) -> Measure:
    parts = urllib.parse.urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = time.perf_counter() + warmup
    stop = start + duration

    def client():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine, bad = [], 0
        while True:
            t0 = time.perf_counter()
            if t0 >= stop:
                break
            try:
                conn.request("GET", target, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = 200 <= response.status < 300
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                ok = False
            t1 = time.perf_counter()
            if t0 >= start:
                mine.append(t1 - t0)
                bad += not ok
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    if not latencies:
        return Measure(0.0, float("nan"), float("nan"), 0, errors[0])
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1e3  # noqa: E731
    return Measure(len(latencies) / duration, pick(0.50), pick(0.99), len(latencies), errors[0])
