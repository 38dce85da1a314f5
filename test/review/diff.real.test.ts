import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const folder = mkdtempSync(join(tmpdir(), 'suoke-diff-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// the end-to-end check of the command CI runs; the diff's findings and formats are tested in-process (cli.test.ts, pr-report.test.ts)
it('`npm run diff` as a process: prints the findings against the committed dist/ and, for information only, exits 0 with --fail-on risk', () => {
  const text = readFileSync('catalog/platform.yaml', 'utf8');
  const bumped = text.replace('image: { name: rag-service, tag: 2.0.1 }', 'image: { name: rag-service, tag: 2.0.2 }');
  expect(bumped).not.toBe(text);
  const catalog = join(folder, 'platform.yaml');
  writeFileSync(catalog, bumped);
  const result = spawnSync('npm', ['run', '--silent', 'diff', '--', '--base', 'HEAD', '--env', 'prod', '--catalog', catalog, '--fail-on', 'risk'], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('prod: 0 added, 0 removed, ');
  expect(result.stdout).toContain('risk summary: none\ninformation:\n  ~ image Deployment suoke-life-prod/rag-service container rag-service');
  expect(result.stdout).not.toContain('\u001b['); // not a terminal: no colour
});
