// The query editor of the home page: highlighting, Ctrl+Enter, the answer in the same views as
// the canned queries, the parser's message next to the query, a shareable URL and the time taken.
// The query goes to /sparql like any client's (SPARQL 1.1 Protocol, POST url-encoded).
import { attach } from "./highlight.js";
import { parseNTriples } from "./ntriples.js";
import { ROOT, el } from "./terms.js";
import { normalise, setupViews } from "./views.js";

const form = document.getElementById("editor-form");
const textarea = document.getElementById("query");
const errorBox = document.getElementById("query-error");
const status = document.getElementById("query-status");
const share = document.getElementById("share");
const results = document.getElementById("results");
const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";
const DOWNLOADS = { results: ["json", "csv", "tsv", "xml"], graph: ["turtle", "ntriples", "jsonld", "rdfxml"] };

attach(textarea, document.getElementById("highlight"));

function shareUrl(query) {
  return `${ROOT}/?${new URLSearchParams({ query })}`;
}

function showError(message) {
  errorBox.replaceChildren(el("strong", { text: "The query failed: " }), el("span", { class: "message", text: message }));
  errorBox.hidden = false;
  textarea.setAttribute("aria-invalid", "true");
}

async function answerOf(response) {
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("n-triples")) return { kind: "graph", triples: parseNTriples(await response.text()) };
  return { kind: "results", json: await response.json() };
}

async function errorOf(response) {
  const body = await response.text();
  try { return JSON.parse(body).error; } catch { return body || `${response.status} ${response.statusText}`; }
}

function downloads(query, kind) {
  const links = DOWNLOADS[kind].map((format) => el("a", { href: `${ROOT}/sparql?${new URLSearchParams({ query, format })}`, text: format.toUpperCase() }));
  return ["Download: ", ...links.flatMap((a, i) => (i ? [" · ", a] : [a]))];
}

async function run() {
  const query = textarea.value;
  errorBox.hidden = true;
  textarea.removeAttribute("aria-invalid");
  status.textContent = "Running…";
  share.href = shareUrl(query);
  history.replaceState(null, "", shareUrl(query));
  const started = performance.now();
  let response;
  try {
    response = await fetch(`${ROOT}/sparql`, { method: "POST", headers: { Accept: ACCEPT }, body: new URLSearchParams({ query }) });
  } catch (err) {
    status.textContent = "";
    return showError(`the server could not be reached (${err.message})`);
  }
  if (!response.ok) {
    status.textContent = `Failed after ${Math.round(performance.now() - started)} ms.`;
    return showError(await errorOf(response));
  }
  const data = normalise(await answerOf(response));
  const ms = Math.round(performance.now() - started);
  status.textContent = `${data.rows.length} ${data.kind === "graph" ? "triples" : "rows"} in ${ms} ms.`;
  results.hidden = false;
  results.querySelector(".downloads").replaceChildren(...downloads(query, data.kind));
  setupViews(results.querySelector(".views"), results.querySelector(".view"), data, data.kind === "graph" ? "graph" : "table");
}

form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
textarea.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
});
if (new URLSearchParams(location.search).has("query")) run();
