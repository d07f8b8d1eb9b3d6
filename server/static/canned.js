// A canned query's page: the server already drew the table (so it reads without script); this
// adds the other views (timeline, bar chart, graph, world) from the same answer, embedded in the
// page as JSON, and the buttons to switch between them. The query's `# view:` picks the first.
import { parseNTriples } from "./ntriples.js";
import { normalise, setupViews } from "./views.js";

const section = document.getElementById("results");
const embedded = document.getElementById("result-data");
if (section && embedded) {
  const raw = JSON.parse(embedded.textContent);
  const data = normalise(raw.kind === "graph" ? { kind: "graph", triples: parseNTriples(raw.ntriples) } : raw);
  const tableView = document.getElementById("table-view");
  const jsView = document.getElementById("js-view");
  const keepTable = (view) => {  // the server's table stays; other views draw below it
    tableView.hidden = view.name !== "table";
    jsView.hidden = view.name === "table";
    return view.name === "table";
  };
  setupViews(section.querySelector(".views"), jsView, data, section.dataset.view, keepTable);
}
