// A small N-Triples reader (https://www.w3.org/TR/n-triples/): the graph answers of CONSTRUCT and
// DESCRIBE arrive in this line format and become SPARQL-JSON-shaped terms for the views.
const TERM = /\s*(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:\^\^<([^>]*)>|@([A-Za-z]+(?:-[A-Za-z0-9]+)*))?)/y;

function unescape(s) {
  return s.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))/g, (_, u4, u8, c) => {
    if (u4 || u8) return String.fromCodePoint(parseInt(u4 || u8, 16));
    return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" }[c] ?? c;
  });
}

function readTerm(line, state) {
  TERM.lastIndex = state.at;
  const m = TERM.exec(line);
  if (!m) throw new Error(`cannot read N-Triples term at: ${line.slice(state.at, state.at + 40)}`);
  state.at = TERM.lastIndex;
  if (m[1] !== undefined) return { type: "uri", value: unescape(m[1]) };
  if (m[2] !== undefined) return { type: "bnode", value: m[2] };
  const term = { type: "literal", value: unescape(m[3]) };
  if (m[4]) term.datatype = unescape(m[4]);
  if (m[5]) term["xml:lang"] = m[5];
  return term;
}

export function parseNTriples(text) {
  const triples = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const state = { at: 0 };
    triples.push({ subject: readTerm(line, state), predicate: readTerm(line, state), object: readTerm(line, state) });
  }
  return triples;
}
