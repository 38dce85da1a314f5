import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractWorkloads } from '../../../review/connectivity';
import { parseManifests } from '../../../review/manifests';
import { compare, podSpecOf } from '../../../review/objects';

/** Every object committed under dist/prod, as `npm run synth` wrote it. */
function distObjects(environment: string) {
  const root = join('dist', environment);
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return files.flatMap((f) => parseManifests(readFileSync(join(root, f), 'utf8'), join(root, f)));
}

// A smoke test only: the required connections and their verdicts belong to the platform's own suite.
describe('extractWorkloads on dist/prod', () => {
  const objects = distObjects('prod');
  const workloads = extractWorkloads(objects, []);

  it('finds one workload per Deployment, StatefulSet, DaemonSet and Job, with its pod template', () => {
    const podObjects = objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(o.kind));
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'Job']) expect(podObjects.some((o) => o.kind === kind), kind).toBe(true);
    const expected = podObjects.map((o) => ({ id: `${o.metadata.namespace}/${o.metadata.name}`, kind: o.kind })).sort((a, b) => compare(a.id, b.id));
    expect(workloads.map((w) => `${w.kind} ${w.id}`)).toEqual(expected.map((e) => `${e.kind} ${e.id}`));
    for (const w of workloads) {
      const source = podObjects.find((o) => o.metadata.namespace === w.namespace && o.metadata.name === w.name)!;
      expect(w.podLabels).toEqual(source.spec.template.metadata.labels);
      expect(w.serviceAccount).toBe(podSpecOf(source)!.serviceAccountName ?? 'default');
    }
  });

  it('meshes the workloads of namespaces labelled istio-injection=enabled unless they opt out, with their principal', () => {
    const injected = new Set(objects.filter((o) => o.kind === 'Namespace' && o.metadata.labels?.['istio-injection'] === 'enabled').map((o) => o.metadata.name));
    expect(workloads.some((w) => w.meshed)).toBe(true);
    for (const w of workloads) {
      const template = objects.find((o) => o.kind === w.kind && o.metadata.namespace === w.namespace && o.metadata.name === w.name)!.spec.template.metadata;
      const optOut = template.labels?.['sidecar.istio.io/inject'] === 'false' || template.annotations?.['sidecar.istio.io/inject'] === 'false';
      expect(w.meshed, w.id).toBe(injected.has(w.namespace) && !optOut);
      if (w.meshed) expect(w.principal).toBe(`cluster.local/ns/${w.namespace}/sa/${w.serviceAccount}`);
    }
  });
});
