// The bar chart view, for aggregates: one horizontal bar per label (readable on a phone), one
// measure at a time when the rows carry several (near-term and maximum GWh, plant count).
import { el, svg, text, localHref, number } from "./terms.js";

const MAX_BARS = 60;

export function barSpec(data) {
  if (data.kind !== "results" || !data.rows.length) return null;
  const measures = data.vars.filter((v) => data.rows.every((r) => !r[v] || number(r[v]) !== null) && data.rows.some((r) => r[v]));
  const label = data.vars.find((v) => !measures.includes(v) && /label$/i.test(v))
    || data.vars.find((v) => !measures.includes(v) && data.rows.some((r) => r[v]));
  return measures.length && label ? { label, measures } : null;
}

export function drawBars(data, target, spec) {
  const picker = el("div", { class: "measures", role: "group", "aria-label": "Measure" });
  const chart = el("div", { class: "chart" });
  const draw = (measure) => {
    for (const b of picker.children) b.setAttribute("aria-pressed", String(b.dataset.measure === measure));
    chart.replaceChildren(bars(data, spec.label, measure));
  };
  if (spec.measures.length > 1) {
    picker.append(...spec.measures.map((m) => el("button", { type: "button", "data-measure": m, text: m, onclick: () => draw(m) })));
    target.append(picker);
  }
  target.append(chart);
  draw(spec.measures[0]);
}

function bars(data, labelVar, measure) {
  const seen = new Map();  // one bar per label: rows repeated per detail (a plant per country) count once
  for (const row of data.rows) {
    const key = text(row[labelVar]);
    if (!seen.has(key) && number(row[measure]) !== null) seen.set(key, { row, value: number(row[measure]) });
  }
  const items = [...seen.values()].slice(0, MAX_BARS);
  const max = Math.max(...items.map((i) => i.value), 0) || 1;
  const W = 720, LABEL = 230, ROW = 26, width = (v) => Math.max(1, (W - LABEL - 70) * v / max);
  const rows = items.map(({ row, value }, i) => {
    const y = 8 + i * ROW, name = text(row[labelVar]);
    const label = svg("text", { x: LABEL - 8, y: y + 14, "text-anchor": "end", class: "bar-label", text: name.length > 34 ? name.slice(0, 33) + "…" : name });
    const link = row[labelVar].type === "uri" ? svg("a", { href: localHref(row[labelVar].value) }, label) : label;
    return svg("g", {}, link,
      svg("rect", { x: LABEL, y, width: width(value), height: ROW - 8, rx: 2, class: "bar" }, svg("title", { text: `${name}: ${value}` })),
      svg("text", { x: LABEL + width(value) + 6, y: y + 14, class: "bar-value", text: String(value) }));
  });
  return svg("svg", { viewBox: `0 0 ${W} ${16 + items.length * ROW}`, class: "bar-chart", role: "group",
    "aria-label": `Bar chart of ${measure} by ${labelVar}: ` + items.map((i) => `${text(i.row[labelVar])} ${i.value}`).join(", ") }, ...rows);
}
