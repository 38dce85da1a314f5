import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SEAM = 'components/common/k8s.ts';
const SOURCE_FOLDERS = ['catalog', 'charts', 'components', 'review', 'synth', 'stacks', 'scripts'];

describe('the Kubernetes L1 bindings have one import seam', () => {
  it(`only ${SEAM} imports cdk8s-plus-28, so moving to newer bindings is a one-line change`, () => {
    const files = SOURCE_FOLDERS.flatMap((folder) => readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(folder, f)));
    const importers = files.filter((f) => /from 'cdk8s-plus-28'/.test(readFileSync(f, 'utf8'))).sort();
    expect(files.length).toBeGreaterThan(50);
    expect(importers).toEqual([SEAM]);
  });
});
