/**
 * A unified line diff of two texts (`-` removed, `+` added, ` ` context), hunks separated by `@@`
 * lines that say where they start. Embedded documents (kong.yml, dashboard JSON, collector and
 * Loki configs in ConfigMap data) are reviewed this way instead of as one escaped string each.
 * Longest common subsequence over lines: O(n·m) memory in 32-bit cells, fine for the few
 * thousand lines a ConfigMap holds (the 660-line dashboard: under 2 MB).
 */
export function lineDiff(before: string, after: string, context = 2): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const ops: { op: ' ' | '-' | '+'; text: string; line: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ op: ' ', text: a[i++], line: j++ });
    else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) ops.push({ op: '-', text: a[i++], line: j });
    else ops.push({ op: '+', text: b[j], line: j++ });
  }
  const keep = ops.map(() => false);
  ops.forEach((o, k) => {
    if (o.op === ' ') return;
    for (let c = Math.max(0, k - context); c <= Math.min(ops.length - 1, k + context); c++) keep[c] = true;
  });
  const out: string[] = [];
  ops.forEach((o, k) => {
    if (!keep[k]) return;
    if (k === 0 || !keep[k - 1]) out.push(`@@ line ${o.line + 1} @@`);
    out.push(`${o.op}${o.text}`);
  });
  return out;
}
