// The "world" view for rows that name a country (plants, sites): there are no coordinates in the
// data, so it is a schematic layout, not a map: continents as boxes placed roughly as on a globe,
// each country a box inside, listing its rows (plants) as links.
import { svg, text, localHref } from "./terms.js";

const CONTINENTS = {
  "North America": ["United States", "Canada", "Mexico"],
  "South America": ["Brazil", "Argentina", "Chile"],
  Europe: ["United Kingdom", "France", "Spain", "Germany", "Portugal", "Italy", "Netherlands", "Poland", "Hungary", "Sweden"],
  Africa: ["Morocco", "South Africa", "Egypt"],
  Asia: ["Japan", "China", "South Korea", "India", "Thailand", "Indonesia", "Vietnam", "Taiwan"],
  Oceania: ["Australia", "New Zealand"],
};
const COLUMNS = [["North America", "South America"], ["Europe", "Africa"], ["Asia", "Oceania", "Elsewhere"]];

function continentOf(country) {
  return Object.keys(CONTINENTS).find((c) => CONTINENTS[c].includes(country)) || "Elsewhere";
}

export function mapSpec(data) {
  if (data.kind !== "results") return null;
  const country = data.vars.find((v) => /^countryLabel$/i.test(v)) || data.vars.find((v) => /country/i.test(v));
  if (!country || !data.rows.some((r) => r[country])) return null;
  const item = data.vars.find((v) => v !== country && /Label$/.test(v)) || data.vars.find((v) => v !== country);
  const link = data.vars.find((v) => v !== country && data.rows.some((r) => r[v] && r[v].type === "uri" && !/country/i.test(v)));
  return { country, item, link };
}

function group(data, spec) {
  const world = new Map();
  for (const row of data.rows) {
    if (!row[spec.country]) continue;
    const country = text(row[spec.country]), continent = continentOf(country);
    if (!world.has(continent)) world.set(continent, new Map());
    const countries = world.get(continent);
    if (!countries.has(country)) countries.set(country, new Map());
    const label = text(row[spec.item]) || text(row[spec.link]);
    if (label) countries.get(country).set(label, row[spec.link]);
  }
  return world;
}

export function drawMap(data, target, spec) {
  const world = group(data, spec), W = 260, GAP = 16, LINE = 16, parts = [];
  let height = 0;
  COLUMNS.forEach((column, c) => {
    let y = 10;
    for (const continent of column) {
      if (!world.has(continent)) continue;
      const x = 10 + c * (W + GAP), top = y, inner = [];
      y += 30;
      for (const [country, items] of [...world.get(continent)].sort()) {
        const boxTop = y;
        inner.push(svg("text", { x: x + 16, y: y + 18, class: "country", text: `${country} (${items.size})` }));
        y += 26;
        for (const [label, term] of items) {
          const line = svg("text", { x: x + 30, y: y + 12, class: "place", text: `● ${label.length > 30 ? label.slice(0, 29) + "…" : label}` });
          inner.push(term && term.type === "uri" ? svg("a", { href: localHref(term.value) }, line) : line);
          y += LINE;
        }
        inner.unshift(svg("rect", { x: x + 8, y: boxTop, width: W - 16, height: y - boxTop + 6, rx: 6, class: "country-box" }));
        y += 12;
      }
      parts.push(svg("g", { class: "continent" },
        svg("rect", { x, y: top, width: W, height: y - top, rx: 10, class: "continent-box" }),
        svg("text", { x: x + 10, y: top + 20, class: "continent-name", text: continent }), ...inner));
      y += GAP;
    }
    height = Math.max(height, y);
  });
  target.append(svg("svg", { viewBox: `0 0 ${3 * W + 2 * GAP + 20} ${height}`, class: "world-view", role: "group",
    "aria-label": "Rows grouped by continent and country (a schematic layout, not a map)" }, ...parts));
}
