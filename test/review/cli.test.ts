import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDiffArguments, reviewEnvironments } from '../../synth/diff-command';
import { objectsAtRef } from '../../review/manifests';
import { markdownReport, textReport } from '../../review/report';
import { treeDifferences } from '../../synth/tree-compare';

/** The real catalog with message-bus allowed two more pods in prod. */
function bumpedCatalog(): string {
  const text = readFileSync('catalog/platform.yaml', 'utf8');
  expect(text).toContain('autoscaling: { maxReplicas: 6 }');
  const file = join(mkdtempSync(join(tmpdir(), 'suoke-diff-')), 'platform.yaml');
  writeFileSync(file, text.replace('autoscaling: { maxReplicas: 6 }', 'autoscaling: { maxReplicas: 8 }'));
  return file;
}

// the base is the committed dist/ at HEAD; the assertions hold with or without uncommitted work
describe('`npm run diff` output', () => {
  it('prints findings against the committed dist/, as text and as Markdown; a replica bump is information, not a risk', () => {
    // one review, both formats: runDiff picks the format and the exit status (pr-report.test.ts), review/diff.real.test.ts runs the process
    const reviews = reviewEnvironments({ environments: ['prod'], catalog: bumpedCatalog() }, (environment) => objectsAtRef('HEAD', environment));
    expect(reviews.map((r) => r.risks)).toEqual([[]]);
    const text = `${textReport(reviews, { base: 'HEAD', color: false })}\n`;
    expect(text).toContain('risk summary: none\ninformation:\n');
    expect(text).toContain('  ~ replicas HorizontalPodAutoscaler suoke-life-prod/message-bus: maxReplicas 6 → 8\n');
    // exact totals are risk.test.ts's business; here uncommitted work may add to them
    expect(text).toMatch(/\n {2}= requests at max replicas: cpu [\d.]+ → [\d.]+ \(\+[\d.m]+\), memory [\d.]+[MG]i → [\d.]+[MG]i \(\+[\d.]+[MG]i\)\n/);

    const markdown = markdownReport(reviews, { base: 'HEAD' });
    expect(markdown).toContain('## Platform diff: prod\n');
    expect(markdown).toMatch(/```diff\n(.+\n)*~ replicas HorizontalPodAutoscaler suoke-life-prod\/message-bus: maxReplicas 6 → 8\n/);
    expect(markdown).toContain('  | `spec.maxReplicas` | 6 | 8 |');
  });
});

describe('parseDiffArguments', () => {
  it('defaults to HEAD, every environment, text', () => {
    expect(parseDiffArguments([])).toEqual({ base: 'HEAD', environments: ['dev', 'staging', 'prod'], format: 'text', failOnRisk: false, catalog: undefined });
  });

  it('rejects unknown values, naming what is allowed', () => {
    expect(() => parseDiffArguments(['--env', 'qa'])).toThrow('--env "qa" is not an environment; allowed: dev, staging, prod');
    expect(() => parseDiffArguments(['--format', 'html'])).toThrow('--format "html" is not allowed; allowed: text, markdown');
    expect(() => parseDiffArguments(['--base'])).toThrow('option --base needs a value');
  });
});

describe('treeDifferences', () => {
  it('lists changed, missing and stale files, sorted', () => {
    const generated = new Map([['prod/a.yaml', 'a'], ['prod/b.yaml', 'b'], ['prod/GRAPH.md', 'g']]);
    const onDisk = new Map([['prod/a.yaml', 'a'], ['prod/b.yaml', 'old'], ['prod/z.yaml', 'z']]);
    expect(treeDifferences(generated, onDisk)).toEqual(['missing:       dist/prod/GRAPH.md', 'changed:       dist/prod/b.yaml', 'not generated: dist/prod/z.yaml']);
  });
});
