import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CatalogError, loadCatalog } from '../catalog';
import { synthesize } from './synth';
import { writeFiles } from './write-output';
import { treeDifferences } from './tree-compare';

// `npm run check`: what CI gates on. Every step runs, so one run lists every problem; exit 1 if any failed.

interface Step {
  readonly name: string;
  /** Problems found; empty when the step passed. */
  readonly run: () => string[];
}

const bin = (name: string) => join('node_modules', '.bin', name);

function command(file: string, args: readonly string[]): string[] {
  const result = spawnSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status === 0) return [];
  return [`${[file, ...args].join(' ')} exited with ${result.status ?? result.signal}`, ...`${result.stdout}${result.stderr}`.trimEnd().split('\n')];
}

function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(relative(dir, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name), 'utf8'));
  }
  return files;
}

const steps: Step[] = [
  { name: 'type-check (tsc --noEmit)', run: () => command(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']) },
  {
    name: 'catalog validation',
    run: () => {
      try {
        loadCatalog();
        return [];
      } catch (error) {
        if (error instanceof CatalogError) return error.message.split('\n');
        throw error;
      }
    },
  },
  {
    name: 'dist/ is what the code and catalog synthesize',
    run: () => {
      let catalog;
      try {
        catalog = loadCatalog();
      } catch {
        return ['skipped: the catalog has problems'];
      }
      const temp = mkdtempSync(join(tmpdir(), 'suoke-check-'));
      try {
        const out = join(temp, 'dist');
        writeFiles(out, synthesize(catalog).flatMap((o) => o.files.map((f) => [f.path, f.content] as const)));
        const differences = treeDifferences(filesUnder(out), filesUnder('dist'));
        return differences.length > 0 ? [...differences, 'fix: run `npm run synth` and commit dist/'] : [];
      } finally {
        rmSync(temp, { recursive: true, force: true });
      }
    },
  },
  { name: 'schema and security policy suites', run: () => command(bin('vitest'), ['run', 'test/policy', 'test/schema-validation.test.ts']) },
];

let failed = 0;
for (const step of steps) {
  const started = performance.now();
  const problems = step.run();
  const ms = (performance.now() - started).toFixed(0);
  console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${step.name} (${ms} ms)`);
  for (const line of problems) console.log(`     ${line}`);
  if (problems.length > 0) failed++;
}
console.log(failed === 0 ? 'check passed' : `check failed: ${failed} of ${steps.length} steps`);
process.exitCode = failed === 0 ? 0 : 1;
