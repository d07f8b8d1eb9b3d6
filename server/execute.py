"""One query, start to bytes: what a query worker process does with a :class:`Job`.

A job carries the query, the protocol dataset and the format chosen for each kind of answer
(tables for SELECT/ASK, graphs for CONSTRUCT/DESCRIBE, https://www.w3.org/TR/sparql11-protocol/#query-success).
The worker parses, evaluates and serialises, and sends back an :class:`Answer` of plain bytes, so
nothing but bytes crosses the pipe and the result limit is checked where the rows are.
"""
from __future__ import annotations

import http.client
import logging
import re
from typing import NamedTuple

from graph.formats import Format
from server.errors import QueryError
from server.results import serialize

log = logging.getLogger("aesc_kg.server")

KIND = {"SELECT": "results", "ASK": "results", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


class Job(NamedTuple):
    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    formats: dict[str, Format | None]  # "results" / "graph" -> negotiated format (None: 406)
    base: str | None = None
    max_rows: int = 10_000
    bindings: tuple[tuple[str, str], ...] = ()  # (variable, term in N3): canned-query parameters


class Answer(NamedTuple):
    status: int
    content_type: str  # empty for errors
    body: bytes        # the serialised result, or the error message in UTF-8

    @classmethod
    def error(cls, status: int, message: str) -> "Answer":
        return cls(status, "", message.encode("utf-8"))


def execute(store, job: Job) -> Answer:
    """Run ``job`` on ``store``; bad input becomes a 4xx answer, a bug a logged 500."""
    try:
        extra = {"bindings": decode_bindings(job.bindings)} if job.bindings else {}
        result = store.query(job.query, job.default_graphs, job.named_graphs, base=job.base, **extra)
        fmt = job.formats.get(KIND[result.type])
        if fmt is None:
            return Answer.error(406, unacceptable(result.type))
        return Answer(200, content_type(fmt), serialize(result, fmt, job.max_rows))
    except QueryError as e:
        return Answer.error(e.status, str(e))
    except RecursionError:
        return Answer.error(400, "query nested too deeply to evaluate")
    except MemoryError:  # the worker's memory cap (server.pool): the query, not the server, is at fault
        return Answer.error(503, "query stopped: it needed more memory than this endpoint allows "
                                 "a query (--query-memory)")
    except re.error as e:  # REGEX() / REPLACE() with a pattern Python cannot compile
        return Answer.error(400, f"invalid regular expression in the query: {e}")
    except PermissionError as e:  # the process guard stopped a network access (server.safety)
        return Answer.error(403, str(e))
    except (OSError, http.client.HTTPException) as e:  # only an allow-listed SERVICE gets here
        return Answer.error(502, f"a SERVICE call failed: {e}")
    except Exception:  # noqa: BLE001 - a bug: log the trace here, where it happened
        log.exception("query failed: %.200r", job.query)
        return Answer.error(500, "internal error while running the query; see the server log")


def encode_bindings(bindings) -> tuple[tuple[str, str], ...]:
    """``{Variable or name: rdflib term}`` as picklable, readable ``(name, N3)`` pairs for a Job."""
    return tuple(sorted((str(name), term.n3()) for name, term in (bindings or {}).items()))


def decode_bindings(pairs) -> dict:
    """The inverse of :func:`encode_bindings`: ``{name: rdflib term}``."""
    from rdflib.util import from_n3
    return {name: from_n3(n3) for name, n3 in pairs}


def unacceptable(query_type: str) -> str:
    from graph.formats import formats_of
    kinds = ("results",) if KIND[query_type] == "results" else ("graph", "dataset")
    offered = ", ".join(f"{f.media_type} (format={f.name})" for k in kinds for f in formats_of(k))
    return f"no acceptable media type for a {query_type} result; supported: {offered}"


def content_type(fmt: Format) -> str:
    """The Content-Type header: text types say they are UTF-8."""
    if fmt.media_type.startswith("text/"):
        return f"{fmt.media_type}; charset=utf-8"
    return fmt.media_type
