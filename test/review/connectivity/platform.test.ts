import { describe, expect, it, vi } from 'vitest';
import { loadCatalog, resolve, type EnvironmentName } from '../../../catalog';
import { outsideWorkloads, requiredConnections } from '../../../review/connectivity/required-connections';
import { analyseConnectivity, formatFindings, platformConnectivity, policyRules, widenRule, type Layer, type RuleRef } from '../../../review/connectivity';
import { ENVIRONMENTS, objectsOf } from '../../support/platform';

type Obj = Record<string, any>;
const catalog = loadCatalog();
const objects = (env: EnvironmentName): Obj[] => objectsOf(env).map((o) => structuredClone(o.object));
const MESH = { rootNamespace: 'istio-system', outboundTrafficPolicy: 'REGISTRY_ONLY' } as const;
const models = new Map(ENVIRONMENTS.map((env) => [env, resolve(catalog, env)]));
const analyse = (env: EnvironmentName, objs: Obj[], leastPrivilege = true) => platformConnectivity(models.get(env)!, objs, { leastPrivilege });

describe('the platform is connected exactly as it needs, in every environment', () => {
  for (const env of ENVIRONMENTS) {
    it(`${env}: every required connection is open through every layer, nothing else is, and no rule is dead`, () => {
      const { required, report } = analyse(env, objects(env));
      expect(formatFindings(report)).toEqual([]);
      // each kind of need is present, so an empty list could not pass this test.
      expect(new Set(required.map((c) => c.group))).toEqual(new Set(['calls', 'public entry', 'uses', 'telemetry', 'peers', 'monitoring', 'cluster services', ...(env === 'prod' ? ['external'] : [])]));
      expect(report.allowed.length).toBe(new Set(required.map((c) => `${c.from} ${'workload' in c.to ? c.to.workload : c.to.external.host} ${c.port}/${c.protocol}`)).size);
    });
  }
});

/** Every NetworkPolicy ingress/egress rule and AuthorizationPolicy rule of an environment, as a path into its objects. */
function rulesOf(objs: Obj[]): { index: number; path: string; kind: string; name: string }[] {
  return objs.flatMap((o, index) => {
    const name = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    if (o.kind === 'NetworkPolicy') {
      return (['ingress', 'egress'] as const).flatMap((direction) => (o.spec[direction] ?? []).map((_: unknown, i: number) => ({ index, path: `${direction}.${i}`, kind: `NetworkPolicy(${direction})`, name })));
    }
    if (o.kind === 'AuthorizationPolicy') return (o.spec.rules ?? []).map((_: unknown, i: number) => ({ index, path: `rules.${i}`, kind: 'AuthorizationPolicy', name }));
    return [];
  });
}

describe('removing any single rule blocks a required connection, and the failure names it', () => {
  // prod has every kind of rule dev and staging have, and more (the trace store's egress).
  for (const env of ['prod'] as const) {
    it(`${env}: each NetworkPolicy and AuthorizationPolicy rule is needed by some connection`, () => {
      // the shared objects are frozen: the analysis cannot change them between removals
      const base = objectsOf(env).map((o) => o.object);
      const rules = rulesOf(base);
      expect(rules.length).toBeGreaterThan(base.filter((o) => o.kind === 'NetworkPolicy').length);
      const unblocked: string[] = [];
      for (const rule of rules) {
        // a copy of the one object the rule is removed from; the others are only read
        const objs = base.map((o, index) => (index === rule.index ? structuredClone(o) : o));
        const [field, i] = rule.path.split('.');
        const spec = objs[rule.index].spec;
        (field === 'rules' ? spec.rules : spec[field]).splice(Number(i), 1);
        const { report } = analyse(env, objs, false);
        const blocked = formatFindings(report).filter((line) => line.startsWith('blocked:'));
        // the finding names the blocked connection and the layer that now refuses it.
        if (blocked.length === 0 || !blocked.every((line) => line.includes(`[${rule.kind}]`))) unblocked.push(`${rule.name} spec.${rule.path}`);
      }
      expect(unblocked).toEqual([]);
    });
  }

  it('prod: without the ServiceEntry, Jaeger cannot reach Elasticsearch under REGISTRY_ONLY', () => {
    const objs = objects('prod').filter((o) => o.kind !== 'ServiceEntry');
    const blocked = formatFindings(analyse('prod', objs, false).report);
    expect(blocked).toHaveLength(1);
    expect(blocked[0]).toMatch(/^blocked: suoke-observability-prod\/jaeger -> elasticsearch\.suoke\.life \(external\) port 9200\/TCP .*\[MeshEgress\]/);
  });
});

describe('widening a rule is reported as an allowance nothing needs, naming the policy', () => {
  const find = (objs: Obj[], kind: string, namespace: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name)!;
  const unexplained = (objs: Obj[]) => formatFindings(analyse('prod', objs).report).filter((l) => l.startsWith('unexplained:'));

  it('callers admitted on the callee gRPC port as well (the policies before this project fixed it)', () => {
    const objs = objects('prod');
    const network = find(objs, 'NetworkPolicy', 'suoke-life-prod', 'auth-service');
    for (const rule of network.spec.ingress) rule.ports.push({ port: 50052, protocol: 'TCP' });
    // ... and each caller's egress to it (both ends of the NetworkPolicy layer, and the mesh).
    for (const policy of objs.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'suoke-life-prod')) {
      for (const rule of policy.spec.egress ?? []) {
        if (rule.to?.some((peer: Obj) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'auth-service')) rule.ports.push({ port: 50052, protocol: 'TCP' });
      }
    }
    const authz = find(objs, 'AuthorizationPolicy', 'suoke-life-prod', 'auth-service');
    for (const rule of authz.spec.rules) rule.to[0].operation.ports.push('50052');
    const lines = unexplained(objs);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes('-> suoke-life-prod/auth-service port 50052/TCP is allowed but no required connection needs it'))).toBe(true);
  });

  it('a caller granted every path instead of the catalog paths', () => {
    const objs = objects('prod');
    const authz = find(objs, 'AuthorizationPolicy', 'suoke-life-prod', 'auth-service');
    const rule = authz.spec.rules.find((r: Obj) => r.from[0].source.principals[0].endsWith('/sa/blockchain-service'));
    delete rule.to[0].operation.paths;
    expect(unexplained(objs)).toEqual([
      expect.stringMatching(/^unexplained: suoke-life-prod\/blockchain-service -> suoke-life-prod\/auth-service port 8000\/TCP admits requests no required connection makes: .*AuthorizationPolicy\/suoke-life-prod\/auth-service/),
    ]);
  });
});

describe('widening a rule shows in its own layer even where another layer still holds the connection', () => {
  it('prod: one rule of each kind in each namespace, widened to every peer and port, is named as an over-allowance', () => {
    const base = objects('prod');
    const model = models.get('prod')!;
    const layerOf = (ref: RuleRef): Layer => (ref.policy.startsWith('AuthorizationPolicy') ? 'AuthorizationPolicy' : ref.path.startsWith('spec.ingress') ? 'NetworkPolicy(ingress)' : 'NetworkPolicy(egress)');
    const alone = (objs: Obj[], layer: Layer) =>
      new Set(analyseConnectivity({ objects: objs, outsideWorkloads: outsideWorkloads(model), required: requiredConnections(model), mesh: MESH, layers: [layer] }).unexplained.map((u) => `${u.from} -> ${u.to}:${u.port}/${u.protocol} by ${u.openedBy.join(', ')}`));
    // the first rule of each layer in each namespace: every shape of rule the charts emit.
    const sample = [...new Map(policyRules(base).map((ref) => [`${layerOf(ref)} ${ref.policy.split('/')[1]}`, ref] as const)).values()].reverse();
    expect(new Set(sample.map(layerOf))).toEqual(new Set(['AuthorizationPolicy', 'NetworkPolicy(ingress)', 'NetworkPolicy(egress)']));
    const before = new Map<Layer, Set<string>>((['AuthorizationPolicy', 'NetworkPolicy(ingress)', 'NetworkPolicy(egress)'] as const).map((layer) => [layer, alone(base, layer)]));
    const silent = sample.filter((ref) => {
      const added = [...alone(widenRule(base, ref), layerOf(ref))].filter((line) => !before.get(layerOf(ref))!.has(line));
      return !(added.length > 0 && added.every((line) => line.includes(`${ref.policy} ${ref.path}`)));
    });
    expect(silent.map((ref) => `${ref.policy} ${ref.path}`)).toEqual([]);
  });
});

describe('component names and ports are spelled once (catalog/endpoints.ts)', () => {
  it('renaming the Redis cluster and moving its client port updates every reference: still fully connected, the old name gone', async () => {
    vi.resetModules();
    const endpoints = await import('../../../catalog/endpoints');
    const components = endpoints.PLATFORM_COMPONENTS as unknown as { redisCluster: { name: string; ports: { client: number } }; collector: { name: string } };
    components.redisCluster.name = 'kv-cluster';
    components.redisCluster.ports.client = 7379;
    components.collector.name = 'telemetry-gateway';
    const fresh = await import('../../../catalog');
    const { synthesizeEnvironment } = await import('../../../synth/synth');
    const { platformConnectivity: fresh_connectivity, formatFindings: fresh_format } = await import('../../../review/connectivity');
    const output = synthesizeEnvironment(fresh.loadCatalog(), 'prod');
    const objs = output.files.flatMap((f) => f.objects);
    const text = JSON.stringify(objs);
    expect(text).not.toContain('redis-cluster');
    expect(text).not.toContain('otel-collector');
    expect(text).toContain('redis://kv-cluster.suoke-data-prod.svc.cluster.local:7379');
    expect(fresh_format(fresh_connectivity(fresh.resolve(fresh.loadCatalog(), 'prod'), objs).report)).toEqual([]);
    vi.resetModules();
  });
});
