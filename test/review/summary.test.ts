import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCatalog, resolve } from '../../catalog';
import { parseQuantity } from '../../catalog/quantity';
import { capacityTotals, podSize, workloadCapacities } from '../../review/capacity';
import { summaryDocument } from '../../review/documents';
import { publicEndpoints } from '../../review/exposure';
import { realPlatform } from '../support/platform';
import { find, kongConfig, prodObjects } from './fixtures';

/** A row of a SUMMARY.md table: the cells after its label. */
function row(summary: string, label: string): string[] | undefined {
  const line = summary.split('\n').find((l) => l.startsWith(`| ${label} |`));
  return line?.split('|').slice(2, -1).map((c) => c.trim());
}

/** Cells holding Kubernetes quantities, read back as numbers: millicores for CPU, bytes for memory. */
function amounts(cells: readonly string[]): number[] {
  return cells.flatMap((cell) => cell.split(', ')).map((q, i) => Math.round(parseQuantity(q)! * (i % 2 === 0 ? 1000 : 1)));
}

/**
 * Totals recomputed here, the plain way, over whatever workloads an environment has (more charts
 * arrive with other branches): containers summed per pod, times the HPA bounds or `spec.replicas`.
 * In millicores and bytes: requests CPU, requests memory, limits CPU, limits memory.
 */
function recomputed(objects: readonly Record<string, any>[]) {
  const totals = { min: [0, 0, 0, 0], max: [0, 0, 0, 0], node: [0, 0, 0, 0] };
  for (const o of objects) {
    if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind)) continue;
    const hpa = objects.find((h) => h.kind === 'HorizontalPodAutoscaler' && h.metadata.namespace === o.metadata.namespace && h.spec.scaleTargetRef.name === o.metadata.name);
    const amounts = (c: Record<string, any>) => {
      const { requests = {}, limits = {} } = c.resources ?? {};
      return [requests.cpu ?? limits.cpu, requests.memory ?? limits.memory, limits.cpu, limits.memory].map((q, i) => (q === undefined ? 0 : Math.ceil(parseQuantity(q)! * (i % 2 === 0 ? 1000 : 1))));
    };
    // the scheduler's rule: app containers run together, init containers one at a time before them.
    const pod = [0, 0, 0, 0];
    for (const c of o.spec.template.spec.containers) amounts(c).forEach((v, i) => (pod[i] += v));
    for (const c of o.spec.template.spec.initContainers ?? []) {
      expect(c.restartPolicy, 'a native sidecar adds to the pod: recompute it too').toBeUndefined();
      amounts(c).forEach((v, i) => (pod[i] = Math.max(pod[i], v)));
    }
    const add = (into: number[], n: number) => pod.forEach((v, i) => (into[i] += v * n));
    if (o.kind === 'DaemonSet') add(totals.node, 1);
    else {
      add(totals.min, hpa ? hpa.spec.minReplicas : (o.spec.replicas ?? 1));
      add(totals.max, hpa ? hpa.spec.maxReplicas : (o.spec.replicas ?? 1));
    }
  }
  return totals;
}

describe('SUMMARY.md', () => {
  for (const environment of ['dev', 'staging', 'prod'] as const) {
    it(`${environment}: totals, kinds and per-service rows recomputed independently`, () => {
      const output = realPlatform().find((o) => o.environment === environment)!;
      const objects = output.files.flatMap((f) => f.objects);
      const summary = output.files.find((f) => f.path === `${environment}/SUMMARY.md`)!.content;
      const expected = recomputed(objects);
      expect(amounts(row(summary, 'at min replicas')!)).toEqual(expected.min);
      expect(amounts(row(summary, 'at max replicas')!)).toEqual(expected.max);
      if (objects.some((o) => o.kind === 'DaemonSet')) expect(amounts(row(summary, 'per node (DaemonSets)')!)).toEqual(expected.node);

      // kinds and total counted in the YAML written to dist/, not in the objects the summary was made from
      const written = output.files.filter((f) => f.path.endsWith('.yaml')).flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJSON()));
      const kinds = new Map<string, number>();
      for (const o of written) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
      for (const [kind, n] of kinds) expect(row(summary, kind)).toEqual([String(n)]);
      expect(row(summary, '**total**')).toEqual([`**${written.length}**`]);

      // each catalog service's row straight from the resolved catalog, not from the objects
      const model = resolve(loadCatalog(), environment);
      for (const s of model.services.filter((x) => !x.implementation && x.image)) {
        const replicas = s.replicas.min === s.replicas.max ? `${s.replicas.min}` : `${s.replicas.min}..${s.replicas.max}`;
        const [layer, shown, ...sizes] = row(summary, `Deployment ${s.namespace}/${s.name}`)!;
        expect([layer, shown]).toEqual([s.layer, replicas]);
        const { requests, limits } = s.resources;
        expect(amounts(sizes)).toEqual(amounts([`${requests.cpu}, ${requests.memory}`, `${limits.cpu}, ${limits.memory}`]));
        expect(summary).toContain(`| \`${s.image!.split(':')[0]}\` | \`${s.version}\` | ${s.name} |`);
      }
    });
  }

  it('of a fixed set of objects: every row written out by hand', () => {
    const objects = prodObjects();
    // fractions of a core and of a GiB in the totals: user-service requests 125m and 384Mi (the fixture has 250m and 256Mi).
    find(objects, 'Deployment', 'user-service').spec.template.spec.containers[0].resources.requests = { cpu: '125m', memory: '384Mi' };
    const summary = summaryDocument('prod', objects);
    const block = (...lines: string[]) => lines.join('\n');
    expect(summary).toContain(
      block('| ConfigMap | 3 |', '| Deployment | 5 |', '| HorizontalPodAutoscaler | 5 |', '| PodDisruptionBudget | 5 |', '| Service | 5 |', '| ServiceAccount | 5 |', '| **total** | **28** |'),
    );
    // per pod: requests 2.375 CPU and 4.625Gi, limits 7 CPU and 9Gi; 2..10 replicas each; no DaemonSet, so no per-node row.
    expect(summary).toContain(block('| at min replicas | 4.75 | 9.25Gi | 14 | 18Gi |', '| at max replicas | 23.75 | 46.25Gi | 70 | 90Gi |', ''));
    expect(summary).toContain(
      block(
        '| Deployment suoke-life-prod/auth-service | core | 2..10 | 250m, 256Mi | 500m, 512Mi |',
        '| Deployment suoke-life-prod/look-service | diagnosis | 2..10 | 500m, 1Gi | 2, 2Gi |',
        '| Deployment suoke-life-prod/rag-service | support | 2..10 | 1, 2Gi | 2, 4Gi |',
        '| Deployment suoke-life-prod/user-service | core | 2..10 | 125m, 384Mi | 500m, 512Mi |',
        '| Deployment suoke-life-prod/xiaoai-service | agents | 2..10 | 500m, 1Gi | 2, 2Gi |',
      ),
    );
    expect(summary).toContain(
      block(
        '| `registry.suoke.life/suoke/auth-service` | `1.3.2` | auth-service |',
        '| `registry.suoke.life/suoke/look-service` | `1.0.6` | look-service |',
        '| `registry.suoke.life/suoke/rag-service` | `2.0.1` | rag-service |',
        '| `registry.suoke.life/suoke/user-service` | `1.2.0` | user-service |',
        '| `registry.suoke.life/suoke/xiaoai-service` | `1.3.5` | xiaoai-service |',
      ),
    );
  });
});

describe('capacity', () => {
  it('counts DaemonSets per node, init containers as a floor and sidecars as a sum', () => {
    const container = (name: string, cpu: string, memory: string, extra = {}) => ({ name, resources: { requests: { cpu, memory } }, ...extra });
    expect(
      podSize({
        initContainers: [container('migrate', '2', '64Mi'), container('proxy', '100m', '128Mi', { restartPolicy: 'Always' })],
        containers: [container('app', '500m', '1G')],
      }).requests,
    ).toEqual({ cpu: 2000, memory: 128 * 1024 ** 2 + 1e9 });
    const daemon = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'o' }, spec: { template: { spec: { containers: [container('a', '0.1', '200Mi')] } } } };
    const totals = capacityTotals(workloadCapacities([daemon]));
    expect(totals.perNode.requests).toEqual({ cpu: 100, memory: 200 * 1024 ** 2 });
    expect(totals.atMax.requests).toEqual({ cpu: 0, memory: 0 });
  });

  it('reads every Kubernetes quantity form', () => {
    expect(['2', '0.5', '250m', '1e3', '512M', '1Gi', '1.5Gi'].map(parseQuantity)).toEqual([2, 0.5, 0.25, 1000, 512e6, 1024 ** 3, 1.5 * 1024 ** 3]);
    expect(parseQuantity('lots')).toBeUndefined();
  });

  it('lists LoadBalancer Services and Kong routes as public endpoints', () => {
    const lb = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kong-proxy', namespace: 'n' }, spec: { type: 'LoadBalancer', ports: [{ name: 'https', port: 443 }] } };
    expect(publicEndpoints([lb, kongConfig([{ service: 'user-service', path: '/api/v1/users', methods: ['GET'] }])]).map((e) => e.text)).toEqual([
      'Service n/kong-proxy LoadBalancer ports https:443 TLS: none',
      'route GET /api/v1/users → user-service (ConfigMap suoke-life-prod/kong-config)',
    ]);
  });
});
