// SPARQL syntax highlighting for a plain <textarea>: a small tokenizer paints a <pre> laid exactly
// under the textarea, whose own text is transparent. The textarea stays the real, accessible input
// (typing, selection, undo, screen readers); the painted copy is aria-hidden.
// Token classes follow the SPARQL 1.1 grammar (https://www.w3.org/TR/sparql11-query/#grammar).
const KEYWORDS = new Set(`BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED GRAPH OPTIONAL
  UNION MINUS FILTER BIND VALUES SERVICE SILENT DISTINCT REDUCED AS GROUP BY ORDER HAVING LIMIT OFFSET
  ASC DESC NOT EXISTS IN UNDEF TRUE FALSE A`.split(/\s+/));
const FUNCTIONS = new Set(`STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND
  CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY
  HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG
  STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE COUNT SUM MIN MAX AVG
  SAMPLE GROUP_CONCAT SEPARATOR`.split(/\s+/));

const RULES = [
  ["comment", /#[^\n]*/y],
  ["iri", /<[^<>"{}|^`\\\s]*>/y],
  ["string", /"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?/y],
  ["variable", /[?$][\p{L}\p{N}_]+/uy],
  ["lang", /@[A-Za-z]+(?:-[A-Za-z0-9]+)*/y],
  ["pname", /(?:[\p{L}][\p{L}\p{N}_.-]*)?:(?:[\p{L}\p{N}_:%-](?:[\p{L}\p{N}_.:%-]*[\p{L}\p{N}_:%-])?)?/uy],
  ["number", /[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)/y],
  ["word", /[\p{L}_][\p{L}\p{N}_]*/uy],
  ["space", /\s+/y],
  ["punct", /\^\^|&&|\|\||!=|<=|>=|[{}()[\].,;*\/+\-=<>!|^]/y],
];

// The query as [class, text] pairs; the classes are keyword, function, variable, iri, pname,
// string, number, lang, comment, punct, and "" for anything else.
export function tokenize(source) {
  const tokens = [];
  let at = 0;
  while (at < source.length) {
    let matched = false;
    for (const [kind, rule] of RULES) {
      rule.lastIndex = at;
      const m = rule.exec(source);
      if (!m || m[0] === "") continue;
      let cls = kind;
      if (kind === "word") {
        const upper = m[0].toUpperCase();
        cls = KEYWORDS.has(upper) ? "keyword" : FUNCTIONS.has(upper) ? "function" : "";
      }
      tokens.push([cls === "space" ? "" : cls, m[0]]);
      at += m[0].length;
      matched = true;
      break;
    }
    if (!matched) tokens.push(["", source[at++]]);
  }
  return tokens;
}

export function paint(code, source) {
  const parts = tokenize(source).map(([cls, text]) => {
    if (!cls) return document.createTextNode(text);
    const span = document.createElement("span");
    span.className = `tok-${cls}`;
    span.textContent = text;
    return span;
  });
  code.replaceChildren(...parts, document.createTextNode(source.endsWith("\n") ? " " : ""));
}

// Keep the painted copy in step with the textarea: text, and scroll position.
export function attach(textarea, code) {
  const pre = code.parentElement;
  const update = () => paint(code, textarea.value);
  const scroll = () => { pre.scrollTop = textarea.scrollTop; pre.scrollLeft = textarea.scrollLeft; };
  textarea.addEventListener("input", () => { update(); scroll(); });
  textarea.addEventListener("scroll", scroll);
  update();
  textarea.closest(".editor")?.classList.add("highlighting");
  return update;
}
