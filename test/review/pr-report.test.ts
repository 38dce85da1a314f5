import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS } from '../../catalog';
import { reviewEnvironments, runDiff } from '../../synth/diff-command';
import { objectsAtRef } from '../../review/manifests';
import { MARKDOWN_LIMIT, markdownReport, type EnvironmentReview } from '../../review/report';
import { addService } from '../support/add-service';

const catalogCopy = (change: (text: string) => string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'suoke-review-')), 'platform.yaml');
  writeFileSync(file, change(readFileSync('catalog/platform.yaml', 'utf8')));
  return file;
};

// the base is the committed dist/ at HEAD; the assertions hold with or without uncommitted work
describe('a diff that fits a pull request', () => {
  it('one service added as the README says: markdown under the comment limit, objects collapsed, kong.yml as a line diff', () => {
    let added = '';
    const catalog = catalogCopy((text) => {
      const result = addService(text);
      added = result.name;
      return result.text;
    });
    const reviews = reviewEnvironments({ environments: ENVIRONMENTS, catalog }, (env) => objectsAtRef('HEAD', env));
    const markdown = markdownReport(reviews, { base: 'HEAD' });
    expect(markdown.length).toBeLessThan(MARKDOWN_LIMIT);
    expect(markdown.match(/<details><summary>Objects: /g)).toHaveLength(3);
    expect(markdown).toContain('  `data["kong.yml"]`:\n\n  ```diff\n');
    expect(markdown).toContain(`  +  - name: ${added}\n`);
    expect(markdown).not.toContain('not shown here');
  });

  it('--fail-on risk: jwt removed from a public route exits 2, an image bump exits 0', () => {
    const noJwt = catalogCopy((text) => {
      const route = text.indexOf('path: /api/v1/health\n');
      expect(route).toBeGreaterThan(0);
      const jwt = text.indexOf('        jwt: {}\n', route);
      return text.slice(0, jwt) + text.slice(jwt + '        jwt: {}\n'.length);
    });
    const lines: string[] = [];
    expect(runDiff({ base: 'HEAD', environments: ['prod'], format: 'text', failOnRisk: true, catalog: noJwt }, { log: (t) => lines.push(t) }, false)).toBe(2);
    expect(lines.join('\n')).toContain('! route health-data-service (ConfigMap suoke-life-prod/api-gateway-config): plugin jwt removed');

    const bump = catalogCopy((text) => text.replace('image: { name: rag-service, tag: 2.0.1 }', 'image: { name: rag-service, tag: 2.0.2 }'));
    lines.length = 0;
    expect(runDiff({ base: 'HEAD', environments: ['prod'], format: 'text', failOnRisk: true, catalog: bump }, { log: (t) => lines.push(t) }, false)).toBe(0);
    expect(lines.join('\n')).toContain('risk summary: none\ninformation:\n  ~ image Deployment suoke-life-prod/rag-service container rag-service');
  });

  it('truncates objects, never findings, and says where the full report is', () => {
    const object = (name: string) => ({ kind: 'ConfigMap', metadata: { name, namespace: 'ns' } });
    const review: EnvironmentReview = {
      environment: 'prod',
      risks: ['! route r: plugin jwt removed'],
      information: ['~ image x: a → b'],
      diff: { added: Array.from({ length: 200 }, (_, i) => object(`cm-${String(i).padStart(3, '0')}`)), removed: [], renamed: [], changed: [] },
    };
    const markdown = markdownReport([review], { base: 'main', limit: 3000, fullReport: 'the artifact platform-diff.md' });
    expect(markdown.length).toBeLessThanOrEqual(3000);
    expect(markdown).toContain('```diff\n! route r: plugin jwt removed\n```');
    expect(markdown).toContain('~ image x: a → b');
    expect(markdown).toContain('- `+ ConfigMap ns/cm-000`');
    expect(markdown).toMatch(/\n_1\d\d of 200 objects not shown here \(this comment stays under 3,000 characters\); the full report is the artifact platform-diff.md._\n/);
  });
});
