// The timeline view: rows placed by a date column (an xsd:date or gYear, or a label such as
// "mid-2017" or "August 2018"), with intervals drawn as bars when an end column exists ("until").
// An SVG overview on one axis, then the same rows as an ordered list, readable by anyone.
import { el, svg, text, localHref, isLiteral, number } from "./terms.js";

const START = ["when", "date", "from", "year", "announced", "referenceYear", "start", "begin"];
const END = ["until", "end", "to", "stop"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
  "september", "october", "november", "december"];
const HEDGES = { early: 0.15, mid: 0.5, late: 0.8 };

// A date-like term as a fractional year (2018.58 for August 2018), or null.
export function when(term) {
  if (!isLiteral(term)) return null;
  const v = term.value.trim();
  let m = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(v);
  if (m) return Number(m[1]) + (m[2] ? (Number(m[2]) - 1) / 12 : 0) + (m[3] ? (Number(m[3]) - 1) / 366 : 0);
  m = /\b(\d{4})\b/.exec(v);
  if (!m || number(term) !== null && !/gYear/.test(term.datatype || "")) return null;
  const lower = v.toLowerCase();
  const month = MONTHS.findIndex((name) => lower.includes(name));
  const hedge = Object.keys(HEDGES).find((h) => lower.includes(h));
  return Number(m[1]) + (month >= 0 ? month / 12 : hedge ? HEDGES[hedge] : 0);
}

function dated(data, v) {
  const values = data.rows.map((r) => r[v]).filter(Boolean);
  return values.length > 0 && values.filter((t) => when(t) !== null).length >= values.length / 2;
}

export function timelineSpec(data) {
  if (data.kind !== "results" || !data.rows.length) return null;
  const byHint = (hints) => hints.map((h) => data.vars.find((v) => v.toLowerCase() === h.toLowerCase())).filter(Boolean);
  const start = [...byHint(START), ...data.vars].find((v) => !END.includes(v) && dated(data, v));
  if (!start) return null;
  const end = byHint(END).find((v) => v !== start && dated(data, v));
  const literal = (v) => data.rows.some((r) => isLiteral(r[v]));
  const label = data.vars.find((v) => /Label$/.test(v) && v !== start)
    || data.vars.find((v) => v !== start && v !== end && literal(v) && !dated(data, v))
    || data.vars.find((v) => v !== start && v !== end);
  const link = data.vars.find((v) => data.rows.some((r) => r[v] && r[v].type === "uri"));
  return { start, end, label, link };
}

export function drawTimeline(data, target, spec) {
  const items = data.rows.map((row) => ({ row, t0: when(row[spec.start]), t1: spec.end ? when(row[spec.end]) : null }));
  const placed = items.filter((i) => i.t0 !== null).sort((a, b) => a.t0 - b.t0);
  const lo = Math.floor(Math.min(...placed.map((i) => i.t0))), hi = Math.ceil(Math.max(...placed.map((i) => i.t1 ?? i.t0))) + 1;
  target.append(overview(placed, lo, hi, spec), list(items, spec, data.vars));
}

function overview(items, lo, hi, spec) {
  const W = 800, x = (t) => 20 + (W - 40) * (t - lo) / Math.max(1, hi - lo), lanes = [];
  const marks = items.map((item) => {
    const end = spec.end ? (item.t1 ?? hi) : item.t0;
    let lane = lanes.findIndex((last) => last < x(item.t0) - 4);
    if (lane < 0) { lane = lanes.length; lanes.push(0); }
    lanes[lane] = Math.max(x(end), x(item.t0) + 8);
    const y = 36 + lane * 14, title = svg("title", { text: `${text(item.row[spec.label])}: ${text(item.row[spec.start])}` });
    return spec.end ? svg("rect", { x: x(item.t0), y: y - 4, width: Math.max(4, x(end) - x(item.t0)), height: 8, rx: 3, class: item.t1 === null ? "open mark" : "mark" }, title)
      : svg("circle", { cx: x(item.t0), cy: y, r: 5, class: "mark" }, title);
  });
  const step = Math.max(1, Math.ceil((hi - lo) / 12));
  const ticks = [];
  for (let year = lo; year <= hi; year += step) {
    ticks.push(svg("line", { x1: x(year), x2: x(year), y1: 18, y2: 26, class: "tick" }),
      svg("text", { x: x(year), y: 14, "text-anchor": "middle", class: "tick-label", text: String(year) }));
  }
  const height = 44 + lanes.length * 14;
  return svg("svg", { viewBox: `0 0 ${W} ${height}`, class: "timeline-axis", role: "img",
    "aria-label": `Timeline from ${lo} to ${hi - 1}, ${items.length} dated rows` },
    svg("line", { x1: 20, x2: W - 20, y1: 22, y2: 22, class: "axis" }), ...ticks, ...marks);
}

function list(items, spec, vars) {
  const extra = vars.filter((v) => ![spec.start, spec.end, spec.label, spec.link].includes(v));
  const entries = [...items.filter((i) => i.t0 !== null).sort((a, b) => a.t0 - b.t0), ...items.filter((i) => i.t0 === null)];
  return el("ol", { class: "timeline" }, entries.map(({ row }) => {
    const label = text(row[spec.label]) || text(row[spec.link]);
    const name = spec.link && row[spec.link] ? el("a", { href: localHref(row[spec.link].value), text: label }) : el("span", { text: label });
    const span = spec.end && row[spec.end] ? `${text(row[spec.start])} – ${text(row[spec.end])}` : text(row[spec.start]) || "undated";
    const meta = extra.filter((v) => row[v] && row[v].type !== "uri").map((v) => `${v}: ${text(row[v])}`).join(" · ");
    return el("li", {}, el("span", { class: "when", text: span }), " ", name, meta ? el("span", { class: "meta", text: meta }) : null);
  }));
}
