/**
 * A strict check of the Mermaid flowchart subset review/graph-pictures.ts emits. No well-kept
 * offline parser covers flowcharts: `@mermaid-js/parser` (2.0) parses only info, packet, pie,
 * architecture, gitGraph, radar and treemap, and `mermaid` itself needs a browser DOM. So this
 * accepts exactly the statements of Mermaid's flowchart grammar we write, and fails on anything
 * else, with the line.
 * @see https://mermaid.js.org/syntax/flowchart.html
 */
const ID = '[A-Za-z_][A-Za-z0-9_]*';
const LABEL = '"([^"]*)"';
const HEADER = /^flowchart (LR|RL|TB|TD|BT)$/;
const SUBGRAPH = new RegExp(`^subgraph (${ID})\\[${LABEL}\\]$`);
const NODE = new RegExp(`^(${ID})(?:\\[${LABEL}\\]|\\(\\(${LABEL}\\)\\)|\\[\\[${LABEL}\\]\\])$`);
const EDGE = new RegExp(`^(${ID}) -->(?:\\|${LABEL}\\|)? (${ID})$`);
/** Words Mermaid reads as keywords, which break a flowchart when used as an id. */
const RESERVED = new Set(['end', 'subgraph', 'graph', 'flowchart', 'style', 'class', 'classDef', 'click', 'linkStyle', 'direction', 'call', 'href', 'default']);

/** Problems with `text` as `line N: what`; empty when it is a well-formed flowchart of our subset. */
export function flowchartProblems(text: string): string[] {
  const lines = text.split('\n');
  const problems: string[] = [];
  if (!HEADER.test(lines[0] ?? '')) problems.push(`line 1: expected "flowchart LR" (or TB, TD, RL, BT), got "${lines[0]}"`);
  const declared = new Set<string>();
  const subgraphs = new Set<string>();
  const edges: { line: number; ends: string[] }[] = [];
  let depth = 0;
  const declare = (id: string, n: number, set: Set<string>) => {
    if (RESERVED.has(id)) problems.push(`line ${n}: "${id}" is a Mermaid keyword and cannot be an id`);
    if (declared.has(id) || subgraphs.has(id)) problems.push(`line ${n}: "${id}" is declared twice`);
    set.add(id);
  };
  lines.slice(1).forEach((raw, k) => {
    const n = k + 2;
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if (line === '') problems.push(`line ${n}: empty line inside the chart`);
    else if (line === 'end') {
      if (--depth < 0) problems.push(`line ${n}: "end" without a subgraph`);
    } else if ((m = SUBGRAPH.exec(line))) {
      declare(m[1], n, subgraphs);
      depth++;
    } else if ((m = NODE.exec(line))) declare(m[1], n, declared);
    else if ((m = EDGE.exec(line))) edges.push({ line: n, ends: [m[1], m[3]] });
    else problems.push(`line ${n}: not a subgraph, end, node or edge statement: "${line}"`);
  });
  if (depth > 0) problems.push(`${depth} subgraph(s) never closed with "end"`);
  for (const { line, ends } of edges) {
    for (const end of ends) if (!declared.has(end)) problems.push(`line ${line}: edge to undeclared node "${end}"`);
  }
  return problems;
}

/** The Mermaid blocks of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
}
