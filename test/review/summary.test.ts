import { describe, expect, it } from 'vitest';
import { loadCatalog, resolve } from '../../catalog';
import { parseCpu, parseMemory, parseQuantity } from '../../catalog/quantity';
import { capacityTotals, podSize, workloadCapacities } from '../../review/capacity';
import { publicEndpoints } from '../../review/exposure';
import { cpuText, memoryText } from '../../review/units';
import { realPlatform } from '../support/platform';
import { kongConfig } from './fixtures';

/** A cell of SUMMARY.md's totals table: the row's values after its label. */
function totalsRow(summary: string, label: string): string[] {
  const line = summary.split('\n').find((l) => l.startsWith(`| ${label} |`));
  return line!.split('|').slice(2, -1).map((c) => c.trim());
}

describe('SUMMARY.md', () => {
  for (const environment of ['dev', 'staging', 'prod'] as const) {
    it(`${environment}: totals equal the catalog model's resources × replica bounds, recomputed here`, () => {
      // independent of the rendered objects: straight from the resolved catalog
      const model = resolve(loadCatalog(), environment);
      const workloads = model.services.filter((s) => !s.implementation && s.image && s.ports.http !== undefined);
      const sum = (pick: (s: (typeof workloads)[number]) => number) => workloads.reduce((n, s) => n + pick(s), 0);
      const expected = (replicas: 'min' | 'max') => [
        cpuText(sum((s) => parseCpu(s.resources.requests.cpu)! * s.replicas[replicas])),
        memoryText(sum((s) => parseMemory(s.resources.requests.memory)! * s.replicas[replicas])),
        cpuText(sum((s) => parseCpu(s.resources.limits.cpu)! * s.replicas[replicas])),
        memoryText(sum((s) => parseMemory(s.resources.limits.memory)! * s.replicas[replicas])),
      ];
      const output = realPlatform().find((o) => o.environment === environment)!;
      const summary = output.files.find((f) => f.path === `${environment}/SUMMARY.md`)!.content;
      expect(totalsRow(summary, 'at min replicas')).toEqual(expected('min'));
      expect(totalsRow(summary, 'at max replicas')).toEqual(expected('max'));

      const kinds = new Map<string, number>();
      for (const o of output.files.flatMap((f) => f.objects)) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
      for (const [kind, n] of kinds) expect(summary).toContain(`| ${kind} | ${n} |`);
      expect(summary).toContain(`| **total** | **${output.objects}** |`);
      for (const s of workloads) expect(summary).toContain(`| \`${s.image!.split(':')[0]}\` | \`${s.version}\` | ${s.name} |`);
    });
  }
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
      'Service n/kong-proxy LoadBalancer ports https:443',
      'route GET /api/v1/users → user-service (ConfigMap suoke-life-prod/kong-config)',
    ]);
  });
});
