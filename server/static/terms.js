// RDF terms in the browser: SPARQL JSON term objects ({type, value, datatype, "xml:lang"}) shown
// as DOM nodes. IRIs of the graph link to their pages on this server; every text goes through
// textContent, never innerHTML, so a literal holding markup stays text.
const body = document.body;
const BASE = body.dataset.base || "";
const ROOT = body.dataset.root || "";
const PREFIXES = Object.entries(JSON.parse(body.dataset.prefixes || "{}"))
  .sort((a, b) => b[1].length - a[1].length);
const XSD = "http://www.w3.org/2001/XMLSchema#";

export { ROOT, XSD };

export function el(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, children);
}

function build(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

export function qname(iri) {
  for (const [prefix, ns] of PREFIXES) {
    const rest = iri.slice(ns.length);
    if (iri.startsWith(ns) && rest && /^[\p{L}\p{N}_.\/-]+$/u.test(rest)) return `${prefix}:${rest}`;
  }
  return iri;
}

export function localHref(iri) {
  if (iri.startsWith(BASE + "id/")) return `${ROOT}/id/${iri.slice(BASE.length + 3)}`;
  if (iri.startsWith(BASE + "ontology#")) return `${ROOT}/ontology#${iri.split("#")[1]}`;
  return `${ROOT}/resource?iri=${encodeURIComponent(iri)}`;
}

// The readable text of a term (a label for charts and pictures).
export function text(term) {
  if (!term) return "";
  return term.type === "uri" ? qname(term.value) : term.type === "bnode" ? `_:${term.value}` : term.value;
}

export function isLiteral(term) {
  return term && (term.type === "literal" || term.type === "typed-literal");
}

export function number(term) {
  if (!isLiteral(term) || !term.datatype) return null;
  const numeric = ["integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger"];
  if (!numeric.some((t) => term.datatype === XSD + t)) return null;
  const n = Number(term.value);
  return Number.isFinite(n) ? n : null;
}

// A table cell's content: a link for an IRI, the text plus a discreet datatype or language tag.
export function termNode(term) {
  if (!term) return el("span", { class: "unbound", "aria-label": "unbound", text: "–" });
  if (term.type === "uri") return el("a", { class: "iri", href: localHref(term.value), title: term.value, text: qname(term.value) });
  if (term.type === "bnode") return el("span", { class: "bnode", text: `_:${term.value}` });
  const note = term["xml:lang"] ? `@${term["xml:lang"]}`
    : term.datatype && term.datatype !== XSD + "string" ? qname(term.datatype) : "";
  const node = el("span", {}, el("span", { class: "literal", text: term.value }));
  if (note) node.append(" ", el("span", { class: "dt", text: note }));
  return node;
}
