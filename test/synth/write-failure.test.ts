import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { replaceFolder } from '../../synth/write-output';
import { filesUnder } from '../../synth/tree-compare';
import { existingOutput, temporaryFolders } from '../support/output-folders';

const workspace = temporaryFolders('write-failure-');
afterEach(() => {
  vi.doUnmock('../../synth/write-output');
  vi.resetModules();
});

describe('a failure while writing leaves the output untouched', () => {
  it('replaceFolder: files already written to the staging folder are discarded and the old folder stays', async () => {
    const root = workspace();
    const { out, before } = existingOutput(root, 'prod');
    await expect(
      replaceFolder(out, (staging) => {
        writeFileSync(join(staging, 'half-written.yaml'), 'kind: Service\n');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(filesUnder(out)).toEqual(before);
    // no staging folder left beside it
    expect(readdirSync(root)).toEqual(['dist']);
  });

  it('npm run synth: a write that fails after some files were written exits 1 and changes nothing under the output folder', async () => {
    const root = workspace();
    const { out, before } = existingOutput(root);
    let written = 0;
    vi.doMock('../../synth/write-output', async (importOriginal) => {
      const original = await importOriginal<typeof import('../../synth/write-output')>();
      return {
        ...original,
        // the real writer, failing on the 40th file: the staging folder is half full when it throws.
        writeFiles: (target: string, files: Iterable<readonly [string, string]>) =>
          original.writeFiles(target, (function* () {
            for (const file of files) {
              if (++written === 40) throw new Error('EIO: i/o error, write');
              yield file;
            }
          })()),
      };
    });
    const { runSynth } = await import('../../synth/synth-command');
    const errors: string[] = [];
    const status = await runSynth({ out, parallel: false }, { log: () => {}, error: (line) => errors.push(line) });
    expect(status).toBe(1);
    expect(written).toBe(40);
    // dev, the first environment, writes more than 40 files, so the failure is dev's, and says so.
    expect(errors.join('\n')).toContain('synth failed, nothing was written: Error: synth of dev failed: EIO: i/o error, write');
    expect(filesUnder(out)).toEqual(before);
    expect(readdirSync(root)).toEqual(['dist']);
  });
});
