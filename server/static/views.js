// Result views, drawn in the browser from SPARQL JSON (or parsed N-Triples): a table always, a
// timeline for dated rows, a bar chart for aggregates, a node-link picture for graphs and a
// schematic world layout by country. In the spirit of the Wikidata Query Service result views
// (`#defaultView:`); here the canned query's `# view:` header picks the first one shown.
import { el, termNode, text } from "./terms.js";
import { drawTimeline, timelineSpec } from "./timeline.js";
import { drawBars, barSpec } from "./bars.js";
import { drawGraph, graphSpec } from "./graph.js";
import { drawMap, mapSpec } from "./map.js";

const VIEWS = {
  table: { title: "Table", spec: () => true, draw: drawTable },
  timeline: { title: "Timeline", spec: timelineSpec, draw: drawTimeline },
  bar: { title: "Bar chart", spec: barSpec, draw: drawBars },
  graph: { title: "Graph", spec: graphSpec, draw: drawGraph },
  map: { title: "World", spec: mapSpec, draw: drawMap },
};

// {kind: "results", vars, rows} or {kind: "graph", triples, vars, rows} from an answer.
export function normalise(data) {
  if (data.kind === "graph") {
    const vars = ["subject", "predicate", "object"];
    return { kind: "graph", triples: data.triples, vars, rows: data.triples };
  }
  const doc = data.json;
  if ("boolean" in doc) {
    return { kind: "results", vars: ["boolean"], rows: [{ boolean: { type: "literal", value: String(doc.boolean) } }] };
  }
  return { kind: "results", vars: doc.head.vars, rows: doc.results.bindings };
}

export function drawTable(data, target) {
  const head = el("tr", {}, data.vars.map((v) => el("th", { scope: "col", text: v })));
  const rows = data.rows.map((row) => el("tr", {}, data.vars.map((v) => el("td", {}, termNode(row[v])))));
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: data.vars.length || 1, text: "No results." })));
  const table = el("table", { class: "results" }, el("thead", {}, head), el("tbody", {}, rows));
  target.append(el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": "Result table" }, table));
}

// The views that fit `data`, each with what its drawing needs.
export function available(data) {
  const found = [];
  for (const [name, view] of Object.entries(VIEWS)) {
    const spec = view.spec(data);
    if (spec) found.push({ name, title: view.title, spec, draw: view.draw });
  }
  return found;
}

// Buttons to switch views (aria-pressed), and the first view drawn: `preferred` when it fits.
// `handled(view)` may take over a view (the canned page keeps its server-side table).
export function setupViews(bar, target, data, preferred, handled = () => false) {
  const views = available(data);
  const show = (view) => {
    for (const b of bar.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.view === view.name));
    target.replaceChildren();
    if (!handled(view)) view.draw(data, target, view.spec);
    target.dataset.current = view.name;
  };
  bar.replaceChildren(...views.map((view) => el("button", {
    type: "button", "data-view": view.name, "aria-pressed": "false", text: view.title, onclick: () => show(view),
  })));
  show(views.find((v) => v.name === preferred) || views[0]);
  return views;
}

export { text };
