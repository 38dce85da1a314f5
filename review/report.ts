import { lineDiff } from './line-diff';
import { objectKey } from './objects';
import type { ObjectDiff } from './semantic-diff';
import { valueText } from './units';

/** The review of one environment: risk and information lines (review/risk.ts) and the object diff. */
export interface EnvironmentReview {
  readonly environment: string;
  readonly risks: readonly string[];
  /** Findings that never fail a check: image bumps, replicas, resources, capacity. */
  readonly information: readonly string[];
  readonly diff: ObjectDiff;
}

export interface ReportOptions {
  /** What the head is compared with, for the heading. */
  readonly base: string;
  /** ANSI colours; only ever for text on a terminal. */
  readonly color?: boolean;
}

/** GitHub's limit for a comment body is 65,536 characters; the report keeps a margin under it. */
export const MARKDOWN_LIMIT = 60_000;

export interface MarkdownOptions extends ReportOptions {
  /** @default MARKDOWN_LIMIT */
  readonly limit?: number;
  /**
   * Where the untruncated report is, named when objects are left out.
   * @default "the CI artifact platform-diff.txt (npm run diff -- --base <base>)"
   */
  readonly fullReport?: string;
}

const COLORS: Record<string, string> = { '+': '32', '-': '31', '!': '1;33', '~': '36', '=': '1' };

/** Plain text for a terminal: risk summary first, then information, then the objects and their changed fields. */
export function textReport(reviews: readonly EnvironmentReview[], options: ReportOptions): string {
  const paint = (line: string, marker = line.trimStart()[0]) => (options.color && COLORS[marker] ? `\u001b[${COLORS[marker]}m${line}\u001b[0m` : line);
  const out: string[] = [];
  for (const review of reviews) {
    out.push(`${review.environment}: ${counts(review.diff)} (base ${options.base})`);
    out.push(review.risks.length > 0 ? 'risk summary:' : 'risk summary: none');
    out.push(...review.risks.map((r) => paint(`  ${r}`)));
    if (review.information.length > 0) out.push('information:', ...review.information.map((r) => paint(`  ${r}`)));
    const objects = objectLines(review.diff);
    if (objects.length > 0) out.push('objects:');
    for (const o of objects) {
      out.push(paint(`  ${o.marker} ${o.key}`, o.marker));
      for (const f of o.fields) {
        if (f.lines) out.push(`      ${f.path}:`, ...f.lines.map((l) => paint(`        ${l}`, l[0])));
        else out.push(`      ${f.path}: ${f.before} → ${f.after}`);
      }
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/**
 * GitHub/GitLab Markdown for a pull-request comment; never coloured. Risks and information are
 * always shown; the objects sit in a collapsed `<details>` per environment, embedded documents as
 * line diffs. When the whole would pass `limit` characters, objects are left out from the end and
 * a line says how many and where the full report is.
 */
export function markdownReport(reviews: readonly EnvironmentReview[], options: MarkdownOptions): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const fullReport = options.fullReport ?? `the CI artifact platform-diff.txt (\`npm run diff -- --base ${options.base}\`)`;
  const heads = reviews.map((review) => {
    const out = [`## Platform diff: ${review.environment}`, '', `Base \`${options.base}\` → this change: ${counts(review.diff)}.`, '', '**Risk summary** (`--fail-on risk` fails on these)', ''];
    out.push(...(review.risks.length > 0 ? ['```diff', ...review.risks, '```'] : ['No risk findings.']));
    if (review.information.length > 0) out.push('', '**Information**', '', '```diff', ...review.information, '```');
    return out.join('\n');
  });
  const bodies = reviews.map((review) => objectLines(review.diff).map(objectMarkdown));
  const summary = (review: EnvironmentReview) => `<details><summary>Objects: ${counts(review.diff)}</summary>`;
  const note = (left: number, total: number) => `_${left} of ${total} objects not shown here (this comment stays under ${limit.toLocaleString('en-US')} characters); the full report is ${fullReport}._`;
  // everything but the objects, with room for the longest note and the blank lines between parts
  const fixed = reviews.reduce((n, review, i) => n + heads[i].length + summary(review).length + '</details>'.length + note(bodies[i].length, bodies[i].length).length + 16, 0);
  // what the objects may take, shared evenly; an environment that needs less leaves the rest to the others
  let budget = Math.max(0, limit - fixed);
  const sections = reviews.map((review, i) => {
    const items = bodies[i];
    if (items.length === 0) return heads[i];
    const share = Math.floor(budget / (reviews.length - i));
    const shown: string[] = [];
    let used = 0;
    for (const item of items) {
      if (used + item.length + 2 > share) break;
      shown.push(item);
      used += item.length + 2;
    }
    budget -= used;
    const left = items.length - shown.length;
    return [heads[i], '', summary(review), '', ...shown, ...(left > 0 ? [note(left, items.length), ''] : []), '</details>'].join('\n');
  });
  return sections.join('\n\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}

interface FieldLine {
  readonly path: string;
  readonly before: string;
  readonly after: string;
  /** A line diff, for multi-line text (embedded documents). */
  readonly lines?: readonly string[];
}

interface ObjectLine {
  readonly marker: string;
  readonly key: string;
  readonly fields: readonly FieldLine[];
}

function objectLines(diff: ObjectDiff): ObjectLine[] {
  return [
    ...diff.added.map((o) => ({ marker: '+', key: objectKey(o), fields: [] })),
    ...diff.removed.map((o) => ({ marker: '-', key: objectKey(o), fields: [] })),
    ...diff.renamed.map((r) => ({ marker: '~', key: `${r.from} → ${r.to}`, fields: [] })),
    ...diff.changed.map((c) => ({
      marker: '~',
      key: c.key,
      fields: c.changes.map((f): FieldLine => {
        const multiLine = (v: unknown) => typeof v === 'string' && v.includes('\n');
        if (multiLine(f.before) || multiLine(f.after)) {
          return { path: f.path, before: '', after: '', lines: lineDiff(typeof f.before === 'string' ? f.before : '', typeof f.after === 'string' ? f.after : '') };
        }
        return { path: f.path, before: valueText(f.before), after: valueText(f.after) };
      }),
    })),
  ];
}

function objectMarkdown(o: ObjectLine): string {
  const out = [`- \`${o.marker} ${o.key}\``];
  const table = o.fields.filter((f) => !f.lines);
  if (table.length > 0) {
    out.push('', '  | field | before | after |', '  | --- | --- | --- |');
    out.push(...table.map((f) => `  | \`${cell(f.path)}\` | ${cell(f.before)} | ${cell(f.after)} |`));
  }
  for (const f of o.fields.filter((f) => f.lines)) out.push('', `  \`${f.path}\`:`, '', '  ```diff', ...f.lines!.map((l) => `  ${l}`), '  ```');
  return out.length === 1 ? out[0] : `${out.join('\n')}\n`;
}

function counts(diff: ObjectDiff): string {
  const renamed = diff.renamed.length > 0 ? `, ${diff.renamed.length} renamed` : '';
  return `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed${renamed}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
