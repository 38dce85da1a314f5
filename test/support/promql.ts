/**
 * The metric names a PromQL expression reads: every identifier that is not a function or
 * aggregation (followed by `(`), a keyword, a label name inside `{...}` or a grouping clause, a
 * duration or a string. Enough PromQL for the platform's dashboards and rules, not a full parser;
 * `metricNames` throws on what it cannot read, so a new construct fails loudly rather than hiding.
 *
 * @see https://prometheus.io/docs/prometheus/latest/querying/basics/
 */
const KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'atan2', 'inf', 'nan']);
const GROUPING = /\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)/g;

export function metricNames(expr: string): string[] {
  if (expr.includes('__name__')) throw new Error(`promql: selecting by __name__ is not supported, name the metric: ${JSON.stringify(expr)}`);
  let rest = expr
    // strings first: a label value may hold anything, braces and identifiers included.
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  if (/["'`]/.test(rest.replace(/""/g, ''))) throw new Error(`promql: unbalanced quotes in ${JSON.stringify(expr)}`);
  // label matchers, then range and subquery selectors, then `offset <duration>`, then label lists.
  rest = rest.replace(/\{[^{}]*\}/g, ' ').replace(/\[[^[\]]*\]/g, ' ').replace(/\boffset\s+-?[0-9a-z]+/gi, ' ').replace(GROUPING, ' ');
  if (/[{}[\]]/.test(rest)) throw new Error(`promql: unbalanced braces in ${JSON.stringify(expr)}`);
  // numbers (0.9, 1e3, 0x1f) before identifiers, so `e3` is never read as a metric.
  rest = rest.replace(/(?<![a-zA-Z_:0-9])(0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)/g, ' ');
  const names = new Set<string>();
  for (const match of rest.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = rest.slice(match.index! + match[0].length);
    if (/^\s*\(/.test(after)) continue; // a function or an aggregation
    if (KEYWORDS.has(match[0].toLowerCase())) continue;
    names.add(match[0]);
  }
  return [...names].sort();
}
