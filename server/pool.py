"""A pool of forked query workers: the time limit that really stops the work.

A pure-Python rdflib query cannot be interrupted from another thread, and a timed-out thread keeps
burning a core (apache/jena#3044 and oxigraph#1336 show the same failure in other stores). So each
query runs in a worker *process* forked from the one holding the loaded dataset (copy-on-write, no
reload). The request thread waits on the worker's pipe; at the deadline it kills the worker and forks
a replacement, and the client gets a 503 naming the limit. Others are served meanwhile by the other
workers. Create the pool in the process that serves requests (after gunicorn forks): a pool
belongs to the process that made it, see :func:`server.get_pool`.
"""
from __future__ import annotations

import logging
import multiprocessing
import queue
import resource
import signal
import threading
import time
import warnings

from server import safety
from server.errors import QueryError

log = logging.getLogger("aesc_kg.server")
_fork = multiprocessing.get_context("fork")


class QueryPool:
    """``size`` worker processes running ``target(job)``, each job limited to ``timeout`` seconds;
    the workers may reach the network only for the ``allowed_services`` endpoints."""

    def __init__(self, target, size: int, timeout: float, allowed_services=(), memory: int = 0):
        self.target, self.size, self.timeout = target, size, timeout
        self.allowed_services = tuple(allowed_services)
        self.memory = memory  # bytes a job may add to a worker's address space; 0: no limit
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._live: set = set()
        for _ in range(size):
            self._idle.put(self._spawn())

    def run(self, job):
        """The worker's answer to ``job``; :class:`QueryError` 503 on timeout or when all are busy."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryError(503, f"all {self.size} query workers stayed busy for "
                                  f"{self.timeout:g} s; try again later") from None
        started = time.monotonic()
        try:
            worker.conn.send(job)
            if worker.conn.poll(self.timeout):
                answer = worker.conn.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError):
            self._replace(worker)
            log.error("query worker %s died on %.200r", worker.process.pid, job)
            raise QueryError(500, "the query worker died; see the server log") from None
        self._replace(worker)
        log.warning("query stopped after %.1f s (limit %g s)", time.monotonic() - started, self.timeout)
        raise QueryError(503, f"query stopped: it ran longer than the {self.timeout:g} s time "
                              "limit of this endpoint (--timeout)")

    def close(self) -> None:
        with self._lock:
            for worker in list(self._live):
                self._stop(worker)

    def _spawn(self):
        with self._lock:
            parent, child = _fork.Pipe()
            inherited = [w.conn for w in self._live] + [parent]
            process = _fork.Process(target=_serve, args=(child, inherited, self.target,
                                                         self.allowed_services, self.memory),
                                    daemon=True, name="aesc-kg-query")
            process.start()
            child.close()
            worker = _Worker(process, parent)
            self._live.add(worker)
            return worker

    def _replace(self, worker) -> None:
        with self._lock:
            self._stop(worker)
        self._idle.put(self._spawn())

    def _stop(self, worker) -> None:
        self._live.discard(worker)
        worker.process.kill()  # SIGKILL: the only stop a busy pure-Python loop cannot ignore
        worker.process.join()
        worker.conn.close()


class _Worker:
    def __init__(self, process, conn):
        self.process, self.conn = process, conn


def _serve(conn, inherited, target, allowed_services, memory: int = 0) -> None:
    """The worker loop: answer jobs until the parent closes the pipe."""
    for other in inherited:
        other.close()  # else a sibling's pipe stays open here and it never sees its parent leave
    # Drop the handlers of the process we were forked from (gunicorn's worker sets several).
    signal.set_wakeup_fd(-1)
    for sig in (signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1, signal.SIGWINCH):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server; EOF then stops us
    # rdflib 7.6 warns about its own deprecated Dataset API on every pattern (RDFLib/rdflib#3475).
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
    safety.guard_process(allowed_services)
    if memory > 0:
        _limit_memory(memory)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(target(job))


def _limit_memory(extra: int) -> None:
    """Cap this worker's address space at what it holds now (the dataset, shared with the parent)
    plus ``extra`` bytes: a query that needs more gets MemoryError, answered 503 by execute()."""
    try:
        with open("/proc/self/statm") as statm:  # Linux: sizes in pages
            size = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:
        log.warning("no /proc/self/statm: query workers run without a memory cap")
        return
    resource.setrlimit(resource.RLIMIT_AS, (size + extra, resource.RLIM_INFINITY))


class InlinePool:
    """No processes, no time limit, no network guard: jobs run in the request thread.

    For debugging only (QUERY_WORKERS=0); the SERVICE check and local-only FROM still apply.
    """

    size = 0

    def __init__(self, target, timeout: float | None = None):
        self.target = target

    def run(self, job):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
            return self.target(job)

    def close(self) -> None:
        pass
