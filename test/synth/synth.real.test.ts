import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSynth } from '../../synth/synth-command';
import { filesUnder } from '../../synth/tree-compare';
import { platformFiles } from '../support/platform';

const temporary = mkdtempSync(join(tmpdir(), 'suoke-synth-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

// the synth as real processes and threads; its output is tested in-process (output.test.ts and the rest)
describe('the synth command, run for real', () => {
  it('writes the same bytes when each environment runs in its own worker thread', async () => {
    const out = join(temporary, 'parallel');
    const lines: string[] = [];
    expect(await runSynth({ out, parallel: true }, { log: (line) => lines.push(line), error: (line) => lines.push(line) })).toBe(0);
    expect(filesUnder(out)).toEqual(platformFiles());
    expect(lines.map((l) => l.split(/\s+/)[0]).slice(0, 3)).toEqual(['dev', 'staging', 'prod']);
  });

  it('`cdk8s synth` through cdk8s.yaml, as a process, writes the same files', () => {
    const out = join(temporary, 'cdk8s');
    execFileSync(process.execPath, ['node_modules/cdk8s-cli/bin/cdk8s', 'synth', '--output', out], { encoding: 'utf8', stdio: 'pipe' });
    expect(filesUnder(out)).toEqual(platformFiles());
  });
});
