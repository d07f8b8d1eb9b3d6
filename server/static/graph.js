// The node-link view of a graph answer (CONSTRUCT / DESCRIBE): resources are circles, literals
// are boxes, each triple an arrow named by its predicate. A small force layout (repulsion between
// all nodes, springs along the edges) places them; rdfs:label triples name nodes instead of
// being drawn. Every resource node is a link to its page, reachable by keyboard.
import { svg, text, localHref, isLiteral } from "./terms.js";

const LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
const MAX_NODES = 150;

export function graphSpec(data) {
  return data.kind === "graph" && data.triples.length ? {} : null;
}

function key(term) { return `${term.type}|${term.value}|${term.datatype || ""}|${term["xml:lang"] || ""}`; }

function build(triples) {
  const nodes = new Map(), edges = [], labels = new Map();
  for (const t of triples) if (t.predicate.value === LABEL && isLiteral(t.object)) labels.set(key(t.subject), t.object.value);
  const node = (term) => {
    const k = key(term);
    if (!nodes.has(k) && nodes.size < MAX_NODES) {
      nodes.set(k, { term, label: labels.get(k) || text(term), x: Math.cos(nodes.size) * nodes.size * 9, y: Math.sin(nodes.size) * nodes.size * 9, vx: 0, vy: 0 });
    }
    return nodes.get(k);
  };
  for (const t of triples) {
    if (t.predicate.value === LABEL && isLiteral(t.object)) { node(t.subject); continue; }
    const a = node(t.subject), b = node(t.object);
    if (a && b) edges.push({ a, b, label: text(t.predicate) });
  }
  return { nodes: [...nodes.values()], edges };
}

function layout(nodes, edges, steps = 300) {
  for (let step = 0; step < steps; step++) {
    const cool = 1 - step / steps;
    for (const a of nodes) for (const b of nodes) {
      if (a === b) continue;
      const dx = a.x - b.x, dy = a.y - b.y, d2 = Math.max(dx * dx + dy * dy, 25);
      a.vx += 4000 * dx / d2 / Math.sqrt(d2); a.vy += 4000 * dy / d2 / Math.sqrt(d2);
    }
    for (const { a, b } of edges) {
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1, f = (d - 110) * 0.02;
      a.vx += f * dx / d; a.vy += f * dy / d; b.vx -= f * dx / d; b.vy -= f * dy / d;
    }
    for (const n of nodes) {
      n.vx -= n.x * 0.002; n.vy -= n.y * 0.002;
      n.x += Math.max(-20, Math.min(20, n.vx)) * cool; n.y += Math.max(-20, Math.min(20, n.vy)) * cool;
      n.vx *= 0.5; n.vy *= 0.5;
    }
  }
}

export function drawGraph(data, target) {
  const { nodes, edges } = build(data.triples);
  layout(nodes, edges);
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y), pad = 90;
  const box = [Math.min(...xs) - pad, Math.min(...ys) - 40, Math.max(...xs) - Math.min(...xs) + 2 * pad, Math.max(...ys) - Math.min(...ys) + 80];
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 18, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" },
    svg("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrow" }));
  const lines = edges.map((e) => svg("g", { class: "edge" },
    svg("line", { x1: e.a.x, y1: e.a.y, x2: e.b.x, y2: e.b.y, "marker-end": "url(#arrow)" }),
    svg("text", { x: (e.a.x + e.b.x) / 2, y: (e.a.y + e.b.y) / 2 - 3, "text-anchor": "middle", class: "edge-label", text: e.label })));
  const circles = nodes.map((n) => {
    const shape = isLiteral(n.term) ? svg("rect", { x: n.x - 6, y: n.y - 6, width: 12, height: 12, class: "literal-node" })
      : svg("circle", { cx: n.x, cy: n.y, r: 8, class: "resource-node" });
    const group = svg("g", { class: "node" }, shape, svg("title", { text: n.term.value }),
      svg("text", { x: n.x, y: n.y + 22, "text-anchor": "middle", class: "node-label", text: n.label.length > 40 ? n.label.slice(0, 39) + "…" : n.label }));
    return n.term.type === "uri" ? svg("a", { href: localHref(n.term.value), "aria-label": n.label }, group) : group;
  });
  target.append(svg("svg", { viewBox: box.join(" "), class: "graph-view", role: "group",
    "aria-label": `Graph of ${nodes.length} nodes and ${edges.length} links` }, svg("defs", {}, marker), ...lines, ...circles));
}
