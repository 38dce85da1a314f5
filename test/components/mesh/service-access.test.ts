import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PeerAuthentication, ServiceAccess } from '../../../components/mesh';

describe('PeerAuthentication', () => {
  it('is STRICT, named default so it covers the whole namespace', () => {
    const chart = Testing.chart();
    new PeerAuthentication(chart, 'pa', { namespace: 'istio-system' });
    expect(Testing.synth(chart)).toEqual([
      { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } },
    ]);
  });
});

describe('ServiceAccess', () => {
  const look = { 'app.kubernetes.io/name': 'look-service' };
  const xiaoai = { principal: 'cluster.local/ns/apps/sa/xiaoai-service', pods: { 'app.kubernetes.io/name': 'xiaoai-service' }, methods: ['POST'], paths: ['/api/v1/diagnosis/*'] };

  it('one ALLOW rule per caller (its principal, methods, paths, on the given ports only) and the same caller admitted on those ports', () => {
    const chart = Testing.chart();
    new ServiceAccess(chart, 's', {
      name: 'look-service',
      namespace: 'apps',
      selector: look,
      ports: [8000],
      callers: [xiaoai],
      egress: [{ peers: [{ pods: { 'app.kubernetes.io/name': 'med-knowledge' } }], ports: [{ port: 8000 }] }],
    });
    const [policy, network] = Testing.synth(chart);
    expect(policy.spec).toEqual({
      selector: { matchLabels: look },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/apps/sa/xiaoai-service'] } }], to: [{ operation: { methods: ['POST'], paths: ['/api/v1/diagnosis/*'], ports: ['8000'] } }] }],
    });
    expect(network.spec).toEqual({
      podSelector: { matchLabels: look },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'xiaoai-service' } } }], ports: [{ port: 8000, protocol: 'TCP' }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'med-knowledge' } } }], ports: [{ port: 8000, protocol: 'TCP' }] }],
    });
  });

  it('emits no ALLOW policy for a service without callers, only its egress', () => {
    const chart = Testing.chart();
    new ServiceAccess(chart, 's', { name: 'api-gateway', namespace: 'apps', selector: { a: 'b' }, ports: [8000], egress: [{ peers: [{ pods: look }], ports: [{ port: 8000 }] }] });
    expect(Testing.synth(chart).map((o) => o.kind)).toEqual(['NetworkPolicy']);
  });

  it('throws on a caller listed twice', () => {
    expect(() => new ServiceAccess(Testing.chart(), 's', { name: 'x', namespace: 'apps', selector: look, ports: [8000], callers: [xiaoai, xiaoai] })).toThrow(
      'service access x: caller cluster.local/ns/apps/sa/xiaoai-service is listed twice; merge its methods and paths',
    );
  });

  it('throws on callers with no port to admit them on', () => {
    expect(() => new ServiceAccess(Testing.chart(), 's', { name: 'x', namespace: 'apps', selector: look, ports: [], callers: [xiaoai] })).toThrow('service access x: has callers but no ports to admit them on');
  });
});
