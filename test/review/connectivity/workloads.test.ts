import { describe, expect, it } from 'vitest';
import { extractWorkloads } from '../../../review/connectivity';
import { namespace, outside, pods } from './builders';

describe('extractWorkloads', () => {
  it('turns each pod-bearing kind into a workload with the labels, account, principal and ports of its template', () => {
    const objects = [
      namespace('m', { 'istio-injection': 'enabled', team: 'm' }),
      pods('m', 'api', { serviceAccountName: 'api', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }),
      pods('m', 'db', { kind: 'StatefulSet' }),
      pods('m', 'agent', { kind: 'DaemonSet' }),
      pods('m', 'seed', { kind: 'Job' }),
      pods('m', 'nightly', { kind: 'CronJob', labels: { app: 'nightly', tier: 'batch' } }),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-a-workload', namespace: 'm' } },
    ];
    const workloads = extractWorkloads(objects, []);
    expect(workloads.map((w) => `${w.id} ${w.kind}`)).toEqual(['m/agent DaemonSet', 'm/api Deployment', 'm/db StatefulSet', 'm/nightly CronJob', 'm/seed Job']);
    expect(workloads[1]).toEqual({
      id: 'm/api',
      namespace: 'm',
      name: 'api',
      kind: 'Deployment',
      podLabels: { app: 'api' },
      namespaceLabels: { 'istio-injection': 'enabled', team: 'm', 'kubernetes.io/metadata.name': 'm' },
      serviceAccount: 'api',
      principal: 'cluster.local/ns/m/sa/api',
      meshed: true,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'http', port: 8080, protocol: 'TCP' },
        { port: 15020, protocol: 'TCP' },
      ],
      excludedInboundPorts: [15020, 15021, 15090],
    });
    expect(workloads[3].podLabels).toEqual({ app: 'nightly', tier: 'batch' });
    expect(workloads[3].principal).toBe('cluster.local/ns/m/sa/default');
  });

  it('meshes by namespace label or pod label, and lets the pod opt out by label or annotation', () => {
    const objects = [
      namespace('m', { 'istio-injection': 'enabled' }),
      namespace('plain'),
      pods('m', 'in'),
      pods('m', 'out-label', { labels: { app: 'x', 'sidecar.istio.io/inject': 'false' } }),
      pods('m', 'out-annotation', { annotations: { 'sidecar.istio.io/inject': 'false' } }),
      pods('plain', 'opt-in', { labels: { app: 'y', 'sidecar.istio.io/inject': 'true' } }),
      pods('plain', 'none'),
    ];
    const meshed = Object.fromEntries(extractWorkloads(objects, []).map((w) => [w.id, w.meshed]));
    expect(meshed).toEqual({ 'm/in': true, 'm/out-annotation': false, 'm/out-label': false, 'plain/none': false, 'plain/opt-in': true });
    const none = extractWorkloads(objects, []).find((w) => w.id === 'plain/none')!;
    expect([none.principal, none.ports, none.excludedInboundPorts]).toEqual([undefined, [{ name: 'http', port: 8080, protocol: 'TCP' }], []]);
  });

  it('adds the excludeInboundPorts annotation to the uncaptured ports', () => {
    const objects = [namespace('m', { 'istio-injection': 'enabled' }), pods('m', 'gw', { annotations: { 'traffic.sidecar.istio.io/excludeInboundPorts': '8443, 8000' } })];
    expect(extractWorkloads(objects, [])[0].excludedInboundPorts).toEqual([8000, 8443, 15020, 15021, 15090]);
  });

  it('adds outside workloads with their namespace name label, and refuses a duplicate id', () => {
    const prometheus = outside('monitoring', 'prometheus', { namespaceLabels: { team: 'obs' } });
    const workloads = extractWorkloads([pods('m', 'api')], [prometheus]);
    expect(workloads.map((w) => w.id)).toEqual(['m/api', 'monitoring/prometheus']);
    expect(workloads[1].namespaceLabels).toEqual({ team: 'obs', 'kubernetes.io/metadata.name': 'monitoring' });
    expect(() => extractWorkloads([pods('m', 'api')], [outside('m', 'api')])).toThrow('workload id "m/api" is declared twice; outside workloads must not reuse a synthesized workload\'s namespace/name');
  });
});
