import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog';
import { runSynth } from '../../synth/synth-command';
import { filesUnder } from '../../synth/tree-compare';
import { existingOutput, temporaryFolders } from '../support/output-folders';

const workspace = temporaryFolders('worker-failure-');

describe('a failure in a synth worker leaves the output untouched', () => {
  it('npm run synth: one environment failing in its worker thread exits 1, names the environment and the cause, and changes nothing', async () => {
    const root = workspace();
    const { out, before } = existingOutput(root, 'prod');
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
    expect(filesUnder(out)).toEqual(before);
    expect(readdirSync(root).sort()).toEqual(['catalog.yaml', 'dist']);
  });
});
