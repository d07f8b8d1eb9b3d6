"""Tables and a chart (hand-written SVG, no plotting library) from benchmarks/run.py results."""
from __future__ import annotations

import math
from xml.sax.saxutils import escape

OURS = ("aesc-rdflib", "aesc-oxigraph", "aesc-cached")
COLORS = {"floor": "#999999", "aesc-rdflib": "#9ecae1", "aesc-oxigraph": "#3182bd",
          "aesc-cached": "#08519c", "oxigraph": "#e6550d", "rdflib-endpoint": "#fdae6b"}


def _queries(results: dict) -> list[str]:
    return list(dict.fromkeys(k.split("|")[0] for k in results))


def _get(results, q, c, server):
    return results.get(f"{q}|{c}|{server}")


def table(data: dict, size: int) -> str:
    """Markdown: one row per query and concurrency; req/s p50 p99 per server, then ratios."""
    results = data["results"]
    servers = list(dict.fromkeys(k.split("|")[2] for k in results))
    conc = sorted({int(k.split("|")[1]) for k in results})
    lines = [f"\n### {size} synthetic triples (+ the AESC graph)\n",
             "start-up to first answer (s): " + ", ".join(f"{k} {v}" for k, v in data["startup_s"].items()), ""]
    head = ["query", "c"] + [s for s in servers] + ["ox/rdflib-ep", "ox/oxigraph", "cached/oxigraph",
                                                    "cached p50/floor"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for q in _queries(results):
        for c in conc:
            cells = [q, str(c)]
            for s in servers:
                m = _get(results, q, c, s)
                if m is None:
                    cells.append("—")
                elif m["requests"] <= 2 and m["rps"] < 1:  # timed one by one (benchmarks.run.slow)
                    cells.append(f"{m['rps']:.2f} ({m['p50'] / 1e3:.1f} s each)")
                else:
                    cells.append(f"{m['rps']:.0f} / {m['p50']:.1f} / {m['p99']:.1f}")
            cells += [_ratio(data, q, c, "aesc-oxigraph", "rdflib-endpoint", "rps"),
                      _ratio(data, q, c, "aesc-oxigraph", "oxigraph", "rps"),
                      _ratio(data, q, c, "aesc-cached", "oxigraph", "rps"),
                      _ratio(data, q, c, "aesc-cached", "floor", "p50")]
            lines.append("| " + " | ".join(cells) + " |")
    lines.append("\ncells: req/s / p50 ms / p99 ms (medians over rounds); ratios of req/s, or of p50 to the floor's."
                 "\nA query slower than 1 s is timed twice in sequence, not loaded (its rate is 1/time); "
                 "a ratio to it (≥) assumes it would use both cores at concurrency 8.")
    bad = [f"{q} on {s}: {r}" for q, per in data["checks"].items() for s, r in per.items()
           if r["status"] != 200]
    sizes = {q: {s: r["size"] for s, r in per.items() if r["status"] == 200} for q, per in data["checks"].items()}
    differ = [f"{q}: {v}" for q, v in sizes.items() if len(set(v.values())) > 1]
    if bad:
        lines.append("\nnot measured (failed the check): " + "; ".join(bad))
    if differ:
        lines.append("\nanswer sizes differ: " + "; ".join(differ))
    return "\n".join(lines)


def _ratio(data, q, c, a, b, key) -> str:
    """``a``'s figure over ``b``'s; when ``b`` answered nothing within the measurement, its one
    timed answer bounds its rate (at most ``c`` / that time): the ratio is then a lower bound."""
    results = data["results"]
    ma, mb = _get(results, q, c, a), _get(results, q, c, b)
    if not ma or not mb or not ma["requests"]:
        return "—"
    if key == "rps" and 0 < mb["rps"] < 1 and mb["requests"] <= 2:  # b timed one by one: its best
        return f"≥{ma['rps'] / (min(c, 2) * mb['rps']):.0f}"     # rate on 2 cores is 2x, at most
    if not mb[key] or math.isnan(mb[key]):
        return "—"
    return f"{ma[key] / mb[key]:.2f}"


def chart(data: dict, size: int, concurrency: int = 8) -> str:
    """Grouped horizontal bars of req/s (log scale), one group per query, at ``concurrency``."""
    results = data["results"]
    queries = _queries(results)
    servers = [s for s in COLORS if any(k.endswith(f"|{concurrency}|{s}") for k in results)]
    bar, gap, left, width = 7, 10, 190, 560
    top = 50
    height = top + len(queries) * (len(servers) * bar + gap) + 40
    peak = max((m["rps"] for m in results.values() if m["rps"] > 0), default=10)
    scale = lambda v: width * math.log10(max(v, 1)) / math.log10(max(peak, 10) * 1.2)  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 30}" height="{height}" '
           'font-family="sans-serif" font-size="10">',
           f'<text x="10" y="18" font-size="13">aesc-kg benchmark: req/s (log scale), concurrency '
           f'{concurrency}, {size} synthetic triples + AESC</text>']
    for n, s in enumerate(servers):
        out.append(f'<rect x="{10 + n * 120}" y="28" width="10" height="10" fill="{COLORS[s]}"/>'
                   f'<text x="{24 + n * 120}" y="37">{escape(s)}</text>')
    y = top
    for q in queries:
        out.append(f'<text x="{left - 6}" y="{y + len(servers) * bar / 2 + 3}" text-anchor="end">{escape(q)}</text>')
        for s in servers:
            m = _get(results, q, concurrency, s)
            if m:
                w = scale(m["rps"])
                out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 1}" fill="{COLORS[s]}">'
                           f'<title>{escape(s)} {m["rps"]:.0f} req/s, p50 {m["p50"]:.2f} ms</title></rect>')
            y += bar
        y += gap
    for v in (1, 10, 100, 1000, 10000):
        if v <= peak * 1.2:
            x = left + scale(v)
            out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{y}" stroke="#ddd"/>'
                       f'<text x="{x:.1f}" y="{y + 12}" text-anchor="middle">{v}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
