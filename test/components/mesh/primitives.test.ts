import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AuthorizationPolicy, NamespaceIsolation, NetworkAccess } from '../../../components/mesh';

describe('AuthorizationPolicy', () => {
  it('with no rules and no selector is allow-nothing: an empty spec', () => {
    const chart = Testing.chart();
    new AuthorizationPolicy(chart, 'p', { name: 'allow-nothing', namespace: 'ns' });
    expect(Testing.synth(chart)).toEqual([{ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: 'ns' }, spec: {} }]);
  });

  it('lists callers by principal with their operations', () => {
    const chart = Testing.chart();
    new AuthorizationPolicy(chart, 'p', {
      name: 'look-service',
      namespace: 'ns',
      selector: { 'app.kubernetes.io/name': 'look-service' },
      rules: [{ principals: ['cluster.local/ns/ns/sa/xiaoai-service'], to: [{ methods: ['POST'], paths: ['/api/v1/diagnosis/*'] }] }],
    });
    expect(Testing.synth(chart)[0].spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'look-service' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/ns/sa/xiaoai-service'] } }], to: [{ operation: { methods: ['POST'], paths: ['/api/v1/diagnosis/*'] } }] }],
    });
  });

  it('throws on a wildcard or an empty principal list', () => {
    expect(() => new AuthorizationPolicy(Testing.chart(), 'p', { name: 'x', namespace: 'ns', rules: [{ principals: ['*'] }] })).toThrow('authorization policy x: "*" is not a principal; name the callers');
    expect(() => new AuthorizationPolicy(Testing.chart(), 'p', { name: 'x', namespace: 'ns', rules: [{ principals: [] }] })).toThrow(/lists no principals/);
  });
});

describe('NamespaceIsolation', () => {
  it('denies everything but DNS and istiod, at the mesh and the network layer', () => {
    const chart = Testing.chart();
    new NamespaceIsolation(chart, 'iso', { namespace: 'apps' });
    const objects = Testing.synth(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['AuthorizationPolicy/allow-nothing', 'NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns-and-istiod']);
    expect(objects[1].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(objects[2].spec.egress.map((e: any) => e.ports.map((p: any) => `${p.port}/${p.protocol}`))).toEqual([['53/UDP', '53/TCP'], ['15012/TCP']]);
  });
});

describe('NetworkAccess', () => {
  it('opens exactly the listed flows', () => {
    const chart = Testing.chart();
    new NetworkAccess(chart, 'n', {
      name: 'redis',
      namespace: 'data',
      podSelector: { app: 'redis' },
      ingress: [{ peers: [{ namespace: 'apps', pods: { app: 'x' } }], ports: [{ port: 6379 }] }],
    });
    expect(Testing.synth(chart)[0].spec).toEqual({
      podSelector: { matchLabels: { app: 'redis' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } }, podSelector: { matchLabels: { app: 'x' } } }], ports: [{ port: 6379, protocol: 'TCP' }] }],
    });
  });

  it('throws when it opens nothing', () => {
    expect(() => new NetworkAccess(Testing.chart(), 'n', { name: 'x', namespace: 'ns', podSelector: {} })).toThrow('network access x: opens nothing; give ingress or egress rules');
  });
});
