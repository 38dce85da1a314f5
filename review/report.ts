import type { ObjectDiff } from './semantic-diff';
import { objectKey } from './objects';
import { valueText } from './units';

/** The review of one environment: risk lines and the object diff. */
export interface EnvironmentReview {
  readonly environment: string;
  readonly risks: readonly string[];
  readonly diff: ObjectDiff;
}

export interface ReportOptions {
  /** What the head is compared with, for the heading. */
  readonly base: string;
  /** ANSI colours; only ever for text on a terminal. */
  readonly color?: boolean;
}

const COLORS: Record<string, string> = { '+': '32', '-': '31', '!': '1;33', '~': '36', '=': '1' };

/** Plain text for a terminal: risk summary first, then the objects and their changed fields. */
export function textReport(reviews: readonly EnvironmentReview[], options: ReportOptions): string {
  const paint = (line: string, marker = line.trimStart()[0]) => (options.color && COLORS[marker] ? `\u001b[${COLORS[marker]}m${line}\u001b[0m` : line);
  const out: string[] = [];
  for (const review of reviews) {
    out.push(`${review.environment}: ${counts(review.diff)} (base ${options.base})`);
    out.push(review.risks.length > 0 ? 'risk summary:' : 'risk summary: none');
    out.push(...review.risks.map((r) => paint(`  ${r}`)));
    const objects = objectLines(review.diff);
    if (objects.length > 0) out.push('objects:');
    for (const o of objects) {
      out.push(paint(`  ${o.marker} ${o.key}`, o.marker));
      out.push(...o.fields.map((f) => `      ${f.path}: ${f.before} → ${f.after}`));
    }
    out.push('');
  }
  return out.join('\n').trimEnd();
}

/** GitHub/GitLab Markdown for a pull-request comment; never coloured. */
export function markdownReport(reviews: readonly EnvironmentReview[], options: ReportOptions): string {
  const out: string[] = [];
  for (const review of reviews) {
    out.push(`## Platform diff: ${review.environment}`, '', `Base \`${options.base}\` → this change: ${counts(review.diff)}.`, '', '**Risk summary**', '');
    if (review.risks.length > 0) out.push('```diff', ...review.risks, '```');
    else out.push('No risk findings.');
    const objects = objectLines(review.diff);
    if (objects.length > 0) out.push('', '**Objects**', '');
    for (const o of objects) {
      out.push(`- \`${o.marker} ${o.key}\``);
      if (o.fields.length === 0) continue;
      out.push('', '  | field | before | after |', '  | --- | --- | --- |');
      out.push(...o.fields.map((f) => `  | \`${cell(f.path)}\` | ${cell(f.before)} | ${cell(f.after)} |`));
      out.push('');
    }
    out.push('');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}

interface ObjectLine {
  readonly marker: string;
  readonly key: string;
  readonly fields: readonly { readonly path: string; readonly before: string; readonly after: string }[];
}

function objectLines(diff: ObjectDiff): ObjectLine[] {
  return [
    ...diff.added.map((o) => ({ marker: '+', key: objectKey(o), fields: [] })),
    ...diff.removed.map((o) => ({ marker: '-', key: objectKey(o), fields: [] })),
    ...diff.renamed.map((r) => ({ marker: '~', key: `${r.from} → ${r.to}`, fields: [] })),
    ...diff.changed.map((c) => ({
      marker: '~',
      key: c.key,
      fields: c.changes.map((f) => ({ path: f.path, before: oneLine(f.before), after: oneLine(f.after) })),
    })),
  ];
}

function counts(diff: ObjectDiff): string {
  const renamed = diff.renamed.length > 0 ? `, ${diff.renamed.length} renamed` : '';
  return `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed${renamed}`;
}

function oneLine(value: unknown): string {
  return typeof value === 'string' && value.includes('\n') ? JSON.stringify(value) : valueText(value);
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
