import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildPlatformApp } from '../../charts/app';
import { appliedCharts } from '../../synth/render';
import { synthesize } from '../../synth/synth';
import { loadCatalog, parseCatalog, resolve } from '../../catalog';
import { allowedTuples, grants, networkFlows } from '../support/mesh-graph';
import { ENVIRONMENTS, objectsOf, type SynthesizedObject } from '../support/platform';

/** The catalog's declared edges, read straight from the YAML (not through resolve()). */
const document = parse(readFileSync('catalog/platform.yaml', 'utf8'));
type Call = { service: string; methods: string[]; paths: string[] };
const declared: { caller: string; call: Call }[] = document.services.flatMap((s: { name: string; calls?: Call[] }) => (s.calls ?? []).map((call) => ({ caller: s.name, call })));
/** Catalog services; flows of components' own workloads (Kong's rate-limit Redis) are theirs to test. */
const catalogServices = new Set<string>(document.services.map((s: { name: string }) => s.name));
const onCatalogServices = (line: string) => line.split(' ').filter((word) => /^[a-z]/.test(word) && !['ingress', 'egress'].includes(word)).every((name) => name.startsWith('cluster.local/') || catalogServices.has(name));
/** Calls are HTTP (methods and paths), so only the callee's HTTP port opens, never its gRPC port. */
const portsOf = (name: string) => String(document.services.find((s: { name: string }) => s.name === name).ports.http);

describe('authorization from the catalog call graph', () => {
  for (const env of ENVIRONMENTS) {
    it(`${env}: the (principal, callee, method, path) tuples the AuthorizationPolicies allow are exactly the catalog's`, () => {
      const expected = declared
        .flatMap(({ caller, call }) => call.methods.flatMap((m) => call.paths.map((p) => `cluster.local/ns/suoke-life-${env}/sa/${caller} ${call.service} ${m} ${p}`)))
        .sort();
      expect(expected.length).toBeGreaterThan(50);
      const tuples = allowedTuples(objectsOf(env));
      // a policy whose selector selects no workload or several would otherwise drop out of the comparison.
      expect(tuples.filter((t) => / <\d+ workloads>/.test(t))).toEqual([]);
      expect(tuples.filter(onCatalogServices)).toEqual(expected);
    });

    it(`${env}: the NetworkPolicies open exactly the catalog's edges, on the callee's ports, in both directions`, () => {
      const expected = declared.flatMap(({ caller, call }) => [`ingress ${call.service} <- ${caller} :${portsOf(call.service)}`, `egress ${caller} -> ${call.service} :${portsOf(call.service)}`]).sort();
      expect(networkFlows(objectsOf(env)).filter(onCatalogServices)).toEqual(expected);
    });
  }

  it('emits no ALLOW policy for a service nobody calls (api-gateway): allow-nothing covers it', () => {
    const policies = objectsOf('prod')
      .filter((o) => o.object.kind === 'AuthorizationPolicy' && o.file.startsWith('prod/mesh/'))
      .map((o) => o.object.metadata.name);
    expect(policies).not.toContain('api-gateway');
    const callees = [...new Set(declared.map((d) => d.call.service))].sort();
    expect(policies.sort()).toEqual(['allow-nothing', ...callees].sort());
  });
});

describe('adding or removing one calls edge', () => {
  const base = readFileSync('test/fixtures/catalog/valid.yaml', 'utf8');
  // stock-service gains a call to orders-service (the gateway may only call routed services).
  const stock = '    image: { name: stock-service, tag: 2.1.0 }\n';
  const withEdge = base.replace(stock, `${stock}    calls:\n      - { service: orders-service, methods: [GET], paths: [/api/v1/orders/*] }\n`);
  const grantsOf = (text: string): string[] => {
    const [prod] = synthesize(parseCatalog(text, 'edge.yaml'), ['prod']);
    return grants(prod.files.flatMap((f) => f.objects.map((object) => ({ environment: 'prod' as const, file: f.path, object }))));
  };
  const difference = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
  const ADDED = [
    'AuthorizationPolicy orders-service: cluster.local/ns/demo-prod/sa/stock-service',
    'NetworkPolicy egress stock-service -> orders-service :8000',
    'NetworkPolicy ingress orders-service <- stock-service :8000',
  ];

  it('adds one principal to one policy, the callee-side ingress rule and its caller-side egress rule', () => {
    expect(withEdge).not.toBe(base);
    expect(difference(grantsOf(withEdge), grantsOf(base))).toEqual(ADDED);
  });

  it('removing it removes exactly those, and nothing else changes', () => {
    expect(difference(grantsOf(base), grantsOf(withEdge))).toEqual([]);
    expect(grantsOf(base)).toEqual(difference(grantsOf(withEdge), ADDED));
  });
});

describe('every application namespace is locked down (every environment)', () => {
  for (const env of ENVIRONMENTS) {
    it(`${env}: STRICT mTLS mesh-wide and per namespace, injection, allow-nothing and default-deny in the apps namespace`, () => {
      const objects = objectsOf(env).map((o) => o.object);
      const find = (kind: string, namespace: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);
      const namespaces = [`suoke-life-${env}`, `suoke-data-${env}`, `suoke-observability-${env}`];
      for (const ns of ['istio-system', ...namespaces]) expect(find('PeerAuthentication', ns, 'default')?.spec, ns).toEqual({ mtls: { mode: 'STRICT' } });
      for (const ns of namespaces) expect(objects.find((o) => o.kind === 'Namespace' && o.metadata.name === ns)?.metadata.labels['istio-injection'], ns).toBe('enabled');
      const apps = `suoke-life-${env}`;
      expect(find('AuthorizationPolicy', apps, 'allow-nothing')?.spec).toEqual({});
      expect(find('NetworkPolicy', apps, 'default-deny')?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(objects.filter((o) => o.kind === 'PeerAuthentication').every((o) => o.spec.mtls.mode === 'STRICT')).toBe(true);
    });
  }

  it('admits Prometheus (its pods only) on the merged metrics port and sends OTLP gRPC (never HTTP) to the collector, for every app pod', () => {
    const telemetry = objectsOf('prod').find((o) => o.object.kind === 'NetworkPolicy' && o.object.metadata.name === 'allow-telemetry')!.object;
    expect(telemetry.spec).toEqual({
      podSelector: { matchLabels: {} },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
          ports: [{ port: 15020, protocol: 'TCP' }],
        },
      ],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'suoke-observability-prod' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'suoke-life-prod', 'app.kubernetes.io/name': 'otel-collector' } },
            },
          ],
          ports: [{ port: 4317, protocol: 'TCP' }],
        },
      ],
    });
  });

  it('opens the data namespace to services that use redis or consul, on 6379 and 8500 only', () => {
    // xiaoai-service uses both in the real catalog; auth-service only redis; look-service neither.
    const policy = (service: string) => objectsOf('prod').find((o) => o.file === `prod/mesh/${service}.yaml` && o.object.kind === 'NetworkPolicy')!.object;
    const toData = (service: string) => policy(service).spec.egress.filter((rule: any) => rule.to.some((peer: any) => peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'suoke-data-prod'));
    expect(toData('look-service')).toEqual([]);
    expect(toData('auth-service').map((rule: any) => rule.ports[0].port)).toEqual([6379]);
    const stock = { spec: { egress: toData('xiaoai-service') } };
    const data = { 'kubernetes.io/metadata.name': 'suoke-data-prod' };
    const pods = (name: string) => ({ 'app.kubernetes.io/instance': 'suoke-life-prod', 'app.kubernetes.io/name': name });
    expect(stock.spec.egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: data }, podSelector: { matchLabels: pods('redis-cluster') } }], ports: [{ port: 6379, protocol: 'TCP' }] },
      { to: [{ namespaceSelector: { matchLabels: data }, podSelector: { matchLabels: pods('consul-server') } }], ports: [{ port: 8500, protocol: 'TCP' }] },
    ]);
  });
});

describe('the istio chart', () => {
  it('writes the IstioOperator to dist/<env>/istio/istio-operator.yaml and keeps it out of the applied set', () => {
    const platform = buildPlatformApp(resolve(loadCatalog(), 'prod'));
    expect(appliedCharts(platform).has('istio')).toBe(false);
    expect(appliedCharts(platform).has('mesh')).toBe(true);
    const files = (o: SynthesizedObject) => o.file;
    expect(objectsOf('prod').filter((o) => o.object.kind === 'IstioOperator').map(files)).toEqual(['prod/istio/istio-operator.yaml']);
  });
});
