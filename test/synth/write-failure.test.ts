import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCatalog } from '../../catalog';
import { runSynth } from '../../synth/synth-command';
import { replaceFolder } from '../../synth/write-output';

/** Every file under a folder, path → content, to compare a folder before and after. */
function snapshot(root: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(root, { recursive: true, encoding: 'utf8', withFileTypes: false })
      .map(String)
      .sort()
      .flatMap((path) => {
        try {
          return [[path, readFileSync(join(root, path), 'utf8')] as const];
        } catch {
          return []; // a folder
        }
      }),
  );
}

const temporary: string[] = [];
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'write-failure-'));
  temporary.push(dir);
  return dir;
}
afterEach(() => {
  vi.doUnmock('../../synth/write-output');
  vi.resetModules();
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a failure while writing leaves the output untouched', () => {
  it('replaceFolder: files already written to the staging folder are discarded and the old folder stays', async () => {
    const root = workspace();
    const out = join(root, 'dist');
    cpSync('dist/prod', join(out, 'prod'), { recursive: true });
    const before = snapshot(out);
    await expect(
      replaceFolder(out, (staging) => {
        writeFileSync(join(staging, 'half-written.yaml'), 'kind: Service\n');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(snapshot(out)).toEqual(before);
    // no staging folder left beside it
    expect(readdirSync(root)).toEqual(['dist']);
  });

  it('npm run synth: a write that fails after some files were written exits 1 and changes nothing under the output folder', async () => {
    const root = workspace();
    const out = join(root, 'dist');
    cpSync('dist', out, { recursive: true });
    const before = snapshot(out);
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
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(root)).toEqual(['dist']);
  });
});

describe('a failure in a synth worker leaves the output untouched', () => {
  it('npm run synth: one environment failing in its worker thread exits 1, names the environment and the cause, and changes nothing', async () => {
    const root = workspace();
    const out = join(root, 'dist');
    cpSync('dist/prod', join(out, 'prod'), { recursive: true });
    const before = snapshot(out);
    // valid.yaml plus a service named like dev's apps namespace ("demo" + "-dev"): the catalog loads, and
    // only dev's mesh chart fails, where that namespace's isolation and the service's access take one id.
    const catalog = join(root, 'catalog.yaml');
    const namedLikeDevNamespace = `
  - name: demo-dev
    layer: support
    description: Named like the dev apps namespace.
    image: { name: demo-dev, tag: 1.0.0 }
    ports: { http: 8000 }
    calls:
      - { service: stock-service, methods: [GET], paths: [/api/v1/stock/*] }
`;
    writeFileSync(catalog, readFileSync('test/fixtures/catalog/valid.yaml', 'utf8') + namedLikeDevNamespace);
    // the premise: the loader accepts it, so the failure happens after the workers start.
    expect(loadCatalog(catalog).document.services.map((s) => s.name)).toContain('demo-dev');
    const errors: string[] = [];
    const status = await runSynth({ catalog, out, parallel: true }, { log: () => {}, error: (line) => errors.push(line) });
    expect(status).toBe(1);
    expect(errors.join('\n')).toContain("synth failed, nothing was written: Error: synth of dev failed in its worker thread: There is already a Construct with name 'demo-dev' in MeshChart [mesh]");
    expect(errors.join('\n')).not.toMatch(/synth of (staging|prod)/);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(root).sort()).toEqual(['catalog.yaml', 'dist']);
  });
});
