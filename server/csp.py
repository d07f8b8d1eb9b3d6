"""Security headers of the HTML surfaces (``pages`` and ``queries`` blueprints).

A Content-Security-Policy (https://www.w3.org/TR/CSP3/) that allows only this server's own files
and no inline script, so that a literal of the graph holding ``<script>`` could not run even if a
template forgot to escape it; plus no MIME sniffing and no framing.
"""
from __future__ import annotations

from flask import Response

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


def secure(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response
