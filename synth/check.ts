import { CatalogError, loadCatalog, type Catalog } from '../catalog';
import { synthesize } from './synth';
import { filesUnder, treeDifferences } from './tree-compare';

// `npm run check`: the fast gate on what a commit holds: the catalog loads, and dist/ is exactly
// what the code and the catalog synthesize. Type-checking (`npm run typecheck`) and the tests
// (`npm test`, `npm run test:real`) are separate commands. Every step runs, so one run lists every
// problem; exit 1 if any failed.

interface Step {
  readonly name: string;
  /** Problems found; empty when the step passed. */
  readonly run: () => string[];
}

let catalog: Catalog | undefined;

const steps: Step[] = [
  {
    name: 'catalog validation',
    run: () => {
      try {
        catalog = loadCatalog();
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
      if (!catalog) return ['skipped: the catalog has problems'];
      const generated = new Map(synthesize(catalog).flatMap((o) => o.files.map((f) => [f.path, f.content] as const)));
      const differences = treeDifferences(generated, filesUnder('dist'));
      return differences.length > 0 ? [...differences, 'fix: run `npm run synth` and commit dist/'] : [];
    },
  },
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
