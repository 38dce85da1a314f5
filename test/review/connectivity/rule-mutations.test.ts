import { describe, expect, it } from 'vitest';
import { analyseConnectivity, policyRules, widenRule, withoutRule, type KubeObject, type Layer, type RequiredConnection } from '../../../review/connectivity';
import { MESH, authorizationPolicy, namespace, networkPolicy, pods, required, service } from './builders';

// web calls api on 8080 (GET /v1/*); every rule below is needed by exactly that connection.
const OBJECTS: KubeObject[] = [
  namespace('m', { 'istio-injection': 'enabled' }),
  pods('m', 'web', { serviceAccountName: 'web' }),
  pods('m', 'api', { serviceAccountName: 'api', ports: [{ name: 'http', containerPort: 8080 }, { name: 'http-admin', containerPort: 9000 }] }),
  service('m', 'api', { app: 'api' }, [{ name: 'http', port: 8080 }, { name: 'http-admin', port: 9000 }]),
  networkPolicy('m', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  networkPolicy('m', 'api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }] }),
  networkPolicy('m', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }] }),
  authorizationPolicy('m', 'allow-nothing', {}),
  authorizationPolicy('m', 'api', {
    selector: { matchLabels: { app: 'api' } },
    rules: [{ from: [{ source: { principals: ['cluster.local/ns/m/sa/web'] } }], to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/v1/*'] } }] }],
  }),
];
const REQUIRED: RequiredConnection[] = [required('m/web', 'm/api', 8080, { http: { methods: ['GET'], paths: ['/v1/*'] }, reason: 'web calls api' })];
const analyse = (objects: KubeObject[]) => analyseConnectivity({ objects, outsideWorkloads: [], required: REQUIRED, mesh: MESH });

describe('rule mutations', () => {
  it('lists every NetworkPolicy rule and ALLOW rule', () => {
    expect(policyRules(OBJECTS)).toEqual([
      { policy: 'AuthorizationPolicy/m/api', path: 'spec.rules[0]' },
      { policy: 'NetworkPolicy/m/api', path: 'spec.ingress[0]' },
      { policy: 'NetworkPolicy/m/web', path: 'spec.egress[0]' },
    ]);
    expect(analyse(OBJECTS)).toMatchObject({ blocked: [], unexplained: [], deadRules: [] });
  });

  it('removing any single rule blocks the connection it served, naming the layer', () => {
    const blocked = policyRules(OBJECTS).map((ref) => {
      const report = analyse(withoutRule(OBJECTS, ref));
      return [ref.policy, report.blocked.map((b) => `${b.connection.reason}: ${b.findings.map((f) => f.layer).join(', ')}`)];
    });
    expect(blocked).toEqual([
      ['AuthorizationPolicy/m/api', ['web calls api: AuthorizationPolicy']],
      ['NetworkPolicy/m/api', ['web calls api: NetworkPolicy(ingress)']],
      ['NetworkPolicy/m/web', ['web calls api: NetworkPolicy(egress)']],
    ]);
  });

  it('widening any single rule shows as an over-allowance, or is held by another layer', () => {
    const widened = policyRules(OBJECTS).map((ref) => [ref.policy, analyse(widenRule(OBJECTS, ref)).unexplained.map((u) => `${u.from} -> ${u.to}:${u.port}${u.requests ? ` ${u.requests.join(',')}` : ''}`)]);
    expect(widened).toEqual([
      ['AuthorizationPolicy/m/api', ['m/web -> m/api:8080 * *']],
      // One NetworkPolicy end widened is still held by the other end's rule.
      ['NetworkPolicy/m/api', []],
      ['NetworkPolicy/m/web', []],
    ]);
  });

  it('shows every widened rule when its own layer is analysed alone', () => {
    const layerOf = (ref: { policy: string; path: string }): Layer =>
      ref.policy.startsWith('AuthorizationPolicy') ? 'AuthorizationPolicy' : ref.path.startsWith('spec.ingress') ? 'NetworkPolicy(ingress)' : 'NetworkPolicy(egress)';
    const alone = (objects: KubeObject[], layer: Layer) =>
      analyseConnectivity({ objects, outsideWorkloads: [], required: REQUIRED, mesh: MESH, layers: [layer] }).unexplained.map((u) => `${u.from} -> ${u.to}:${u.port} by ${u.openedBy.join(', ')}`);
    const added = policyRules(OBJECTS).map((ref) => {
      const before = new Set(alone(OBJECTS, layerOf(ref)));
      return [ref.policy, alone(widenRule(OBJECTS, ref), layerOf(ref)).filter((line) => !before.has(line))];
    });
    expect(added).toEqual([
      [
        'AuthorizationPolicy/m/api',
        [
          'm/api -> m/api:8080 by AuthorizationPolicy/m/api spec.rules[0]',
          'm/api -> m/api:9000 by AuthorizationPolicy/m/api spec.rules[0]',
          // web -> api:8080 is required, but now for every method and path.
          'm/web -> m/api:8080 by AuthorizationPolicy/m/api spec.rules[0]',
          'm/web -> m/api:9000 by AuthorizationPolicy/m/api spec.rules[0]',
        ],
      ],
      [
        'NetworkPolicy/m/api',
        ['m/api -> m/api:8080 by NetworkPolicy/m/api spec.ingress[0]', 'm/api -> m/api:9000 by NetworkPolicy/m/api spec.ingress[0]', 'm/api -> m/api:15020 by NetworkPolicy/m/api spec.ingress[0]', 'm/web -> m/api:9000 by NetworkPolicy/m/api spec.ingress[0]', 'm/web -> m/api:15020 by NetworkPolicy/m/api spec.ingress[0]'],
      ],
      ['NetworkPolicy/m/web', ['m/web -> m/api:9000 by NetworkPolicy/m/web spec.egress[0]', 'm/web -> m/api:15020 by NetworkPolicy/m/web spec.egress[0]', 'm/web -> m/web:8080 by NetworkPolicy/m/web spec.egress[0]', 'm/web -> m/web:15020 by NetworkPolicy/m/web spec.egress[0]']],
    ]);
  });

  it('refuses a rule that does not exist', () => {
    expect(() => withoutRule(OBJECTS, { policy: 'NetworkPolicy/m/api', path: 'spec.ingress[3]' })).toThrow('rule NetworkPolicy/m/api spec.ingress[3] does not exist; list them with policyRules()');
    expect(() => widenRule(OBJECTS, { policy: 'NetworkPolicy/m/api', path: 'spec.podSelector' })).toThrow('rule path "spec.podSelector" is not supported; allowed: spec.ingress[i], spec.egress[i], spec.rules[i]');
  });

  it('leaves the input objects untouched', () => {
    const before = JSON.stringify(OBJECTS);
    withoutRule(OBJECTS, { policy: 'NetworkPolicy/m/api', path: 'spec.ingress[0]' });
    widenRule(OBJECTS, { policy: 'AuthorizationPolicy/m/api', path: 'spec.rules[0]' });
    expect(JSON.stringify(OBJECTS)).toBe(before);
  });
});
