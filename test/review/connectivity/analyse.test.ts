import { describe, expect, it } from 'vitest';
import { analyseConnectivity, formatFindings, type KubeObject, type RequiredConnection } from '../../../review/connectivity';
import { MESH, authorizationPolicy, namespace, networkPolicy, outside, pods, required, service } from './builders';

// One meshed namespace: web calls api on 8080; api's pods talk to each other on 7000 (peers).
const OBJECTS: KubeObject[] = [
  namespace('m', { 'istio-injection': 'enabled' }),
  pods('m', 'web', { serviceAccountName: 'web' }),
  pods('m', 'api', { serviceAccountName: 'api', ports: [{ name: 'http', containerPort: 8080 }, { name: 'tcp-peer', containerPort: 7000 }] }),
  service('m', 'api', { app: 'api' }, [{ name: 'http', port: 8080 }, { name: 'tcp-peer', port: 7000 }]),
  service('m', 'web', { app: 'web' }, [{ name: 'http', port: 8080 }]),
  networkPolicy('m', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  networkPolicy('m', 'api', {
    podSelector: { matchLabels: { app: 'api' } },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] },
      { from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 7000 }] },
    ],
    egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 7000 }] }],
  }),
  networkPolicy('m', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }] }),
  authorizationPolicy('m', 'allow-nothing', {}),
  authorizationPolicy('m', 'api', {
    selector: { matchLabels: { app: 'api' } },
    action: 'ALLOW',
    rules: [
      { from: [{ source: { principals: ['cluster.local/ns/m/sa/web'] } }], to: [{ operation: { ports: ['8080'], methods: ['GET'], paths: ['/v1/*'] } }] },
      { from: [{ source: { principals: ['cluster.local/ns/m/sa/api'] } }], to: [{ operation: { ports: ['7000'] } }] },
    ],
  }),
];
const REQUIRED: RequiredConnection[] = [
  required('m/web', 'm/api', 8080, { http: { methods: ['GET'], paths: ['/v1/*'] }, reason: 'web calls api' }),
  required('m/api', 'm/api', 7000, { reason: 'api peers' }),
];
const analyse = (objects = OBJECTS, req = REQUIRED, out = [] as ReturnType<typeof outside>[]) => analyseConnectivity({ objects, outsideWorkloads: out, required: req, mesh: MESH });

describe('analyseConnectivity', () => {
  it('proves a closed platform: every required connection allowed and explained, nothing else', () => {
    const report = analyse();
    expect(report.blocked).toEqual([]);
    expect(report.unexplained).toEqual([]);
    expect(report.deadRules).toEqual([]);
    expect(report.allowed).toEqual([
      { from: 'm/api', to: 'm/api', port: 7000, protocol: 'TCP', explainedBy: ['api peers'] },
      { from: 'm/web', to: 'm/api', port: 8080, protocol: 'TCP', explainedBy: ['web calls api'] },
    ]);
    expect(formatFindings(report)).toEqual([]);
  });

  it('keeps pairs of one workload with itself: peers need their own rule', () => {
    const withoutPeers = OBJECTS.map((o) => (o.kind === 'NetworkPolicy' && o.metadata.name === 'api' ? { ...o, spec: { ...o.spec, egress: [] } } : o));
    const report = analyse(withoutPeers);
    expect(report.blocked.map((b) => [b.connection.reason, b.findings.map((f) => `${f.layer} ${f.policy}`)])).toEqual([
      ['api peers', ['NetworkPolicy(egress) NetworkPolicy/m/api']],
    ]);
  });

  it('reports a widened rule as an unexplained allowance naming the policy that opens it', () => {
    const widened = [...OBJECTS, networkPolicy('m', 'wide', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] })];
    const wideEgress = networkPolicy('m', 'web-wide', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{}] });
    const networkOnly = analyse([...widened, wideEgress]);
    expect(networkOnly.blocked).toEqual([]);
    // Widening the NetworkPolicies alone opens nothing: api's AuthorizationPolicy still admits web on 8080 only.
    expect(networkOnly.unexplained).toEqual([]);
    const openAuthz = [...widened, wideEgress, authorizationPolicy('m', 'api-all', { selector: { matchLabels: { app: 'api' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/m/sa/web'] } }] }] })];
    const report = analyse(openAuthz);
    expect(report.unexplained).toEqual([
      {
        from: 'm/web',
        to: 'm/api',
        port: 7000,
        protocol: 'TCP',
        openedBy: ['AuthorizationPolicy/m/api-all spec.rules[0]', 'NetworkPolicy/m/web-wide spec.egress[0]', 'NetworkPolicy/m/wide spec.ingress[0]'],
      },
      { from: 'm/web', to: 'm/api', port: 8080, protocol: 'TCP', openedBy: ['AuthorizationPolicy/m/api-all spec.rules[0]'], requests: ['* *'] },
    ]);
    expect(formatFindings(report)).toEqual([
      'unexplained: m/web -> m/api port 7000/TCP is allowed but no required connection needs it; opened by AuthorizationPolicy/m/api-all spec.rules[0], NetworkPolicy/m/web-wide spec.egress[0], NetworkPolicy/m/wide spec.ingress[0]; fix: narrow those rules, or declare the connection if the platform needs it',
      'unexplained: m/web -> m/api port 8080/TCP admits requests no required connection makes: * *; opened by AuthorizationPolicy/m/api-all spec.rules[0]; fix: narrow the methods and paths of those rules to the required ones',
    ]);
  });

  it('reports methods and paths an ALLOW rule admits beyond the required ones', () => {
    const withRule = (operation: KubeObject) =>
      OBJECTS.map((o) =>
        o.kind === 'AuthorizationPolicy' && o.metadata.name === 'api'
          ? { ...o, spec: { ...o.spec, rules: [{ ...o.spec.rules[0], to: [{ operation: { ports: ['8080'], ...operation } }] }, o.spec.rules[1]] } }
          : o,
      );
    expect(analyse(withRule({ methods: ['GET'], paths: ['/v1/items', '/v1/*'] })).unexplained).toEqual([]);
    expect(analyse(withRule({ methods: ['GET', 'DELETE'], paths: ['/v1/*', '/*'] })).unexplained).toEqual([
      { from: 'm/web', to: 'm/api', port: 8080, protocol: 'TCP', openedBy: ['AuthorizationPolicy/m/api spec.rules[0]'], requests: ['DELETE /*', 'DELETE /v1/*', 'GET /*'] },
    ]);
    // A required connection without http needs the whole port: nothing is wider than that.
    const wholePort = [required('m/web', 'm/api', 8080, { reason: 'web proxies api' }), REQUIRED[1]];
    expect(analyse(withRule({ methods: ['DELETE'] }), wholePort).unexplained).toEqual([]);
  });

  it('names the blocked connection, layer, policy and fix when a rule is removed', () => {
    const removed = OBJECTS.filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'web'));
    expect(formatFindings(analyse(removed))).toEqual([
      'blocked: m/web -> m/api port 8080/TCP (web calls api): [NetworkPolicy(egress)] NetworkPolicy/m/default-deny: m/web -> m/api:8080/TCP: egress of m/web is isolated by NetworkPolicy/m/default-deny and no egress rule reaches the destination on that port; fix: add to NetworkPolicy/m/default-deny an egress rule to the pods of m/api on TCP 8080',
    ]);
  });

  it('considers outside destinations only on the ports they declare, and skips pairs of two outside workloads', () => {
    const open = OBJECTS.filter((o) => o.kind !== 'NetworkPolicy');
    const dns = outside('kube-system', 'kube-dns', { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] });
    const prometheus = outside('monitoring', 'prometheus', { ports: [{ port: 9090, protocol: 'TCP' }] });
    const report = analyse(open, REQUIRED, [dns, prometheus]);
    const pairs = report.unexplained.map((u) => `${u.from} ${u.to}:${u.port}/${u.protocol}`);
    expect(pairs.filter((p) => p.includes('kube-dns:'))).toEqual(['m/api kube-system/kube-dns:53/UDP', 'm/web kube-system/kube-dns:53/UDP']);
    expect(pairs.filter((p) => p.startsWith('monitoring/prometheus kube-system') || p.startsWith('kube-system/kube-dns monitoring'))).toEqual([]);
    // Prometheus (no sidecar) reaches the uncaptured status port 15020 of meshed pods when no NetworkPolicy stops it.
    expect(pairs.filter((p) => p.startsWith('monitoring/prometheus'))).toEqual(['monitoring/prometheus m/api:15020/TCP', 'monitoring/prometheus m/web:15020/TCP']);
  });

  it('enumerates external hosts named by required connections', () => {
    const es = { host: 'es.example.com', port: 9200, protocol: 'TCP' as const, cidrs: ['192.0.2.0/28'] };
    const open = OBJECTS.filter((o) => o.kind !== 'NetworkPolicy');
    const report = analyseConnectivity({ objects: open, outsideWorkloads: [], required: REQUIRED, mesh: { ...MESH, outboundTrafficPolicy: 'ALLOW_ANY' } });
    expect(report.allowed.some((a) => a.to === 'es.example.com')).toBe(false);
    const withEs = analyseConnectivity({ objects: open, outsideWorkloads: [], required: [...REQUIRED, { from: 'm/web', to: { external: es }, port: 9200, protocol: 'TCP', reason: 'web stores' }], mesh: { ...MESH, outboundTrafficPolicy: 'ALLOW_ANY' } });
    expect(withEs.allowed.filter((a) => a.to === 'es.example.com')).toEqual([
      { from: 'm/api', to: 'es.example.com', port: 9200, protocol: 'TCP', explainedBy: [] },
      { from: 'm/web', to: 'es.example.com', port: 9200, protocol: 'TCP', explainedBy: ['web stores'] },
    ]);
  });

  it('refuses a required connection naming an unknown workload', () => {
    expect(() => analyse(OBJECTS, [required('m/web', 'm/nope', 80, { reason: 'typo' })])).toThrow('required connection "typo" goes to unknown workload "m/nope"; known: m/api, m/web');
    expect(() => analyse(OBJECTS, [required('m/nope', 'm/web', 80, { reason: 'typo' })])).toThrow('required connection "typo" comes from unknown workload "m/nope"; known: m/api, m/web');
  });

  it('is deterministic: the same report whatever the order of objects and required connections', () => {
    const open = OBJECTS.filter((o) => o.kind !== 'NetworkPolicy' && o.metadata.name !== 'allow-nothing');
    const forward = analyse(open);
    const backward = analyse([...open].reverse(), [...REQUIRED].reverse());
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
    expect(forward.unexplained.length).toBeGreaterThan(0);
  });
});

describe('performance', () => {
  it('analyses 40 workloads and 122 policies in well under a second', () => {
    const objects: KubeObject[] = [namespace('m', { 'istio-injection': 'enabled' })];
    const req: RequiredConnection[] = [];
    for (let i = 0; i < 40; i++) {
      const name = `s${i}`;
      const callee = `s${(i + 1) % 40}`;
      objects.push(pods('m', name, { serviceAccountName: name }), service('m', name, { app: name }, [{ name: 'http', port: 8080 }]));
      objects.push(
        networkPolicy('m', name, {
          podSelector: { matchLabels: { app: name } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { app: `s${(i + 39) % 40}` } } }], ports: [{ port: 8080 }] }],
          egress: [{ to: [{ podSelector: { matchLabels: { app: callee } } }], ports: [{ port: 8080 }] }],
        }),
        networkPolicy('m', `${name}-telemetry`, { podSelector: { matchLabels: { app: name } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] }] }),
        authorizationPolicy('m', name, { selector: { matchLabels: { app: name } }, rules: [{ from: [{ source: { principals: [`cluster.local/ns/m/sa/s${(i + 39) % 40}`] } }], to: [{ operation: { methods: ['GET'], paths: ['/v1/*'] } }] }] }),
      );
      req.push(required(`m/${name}`, `m/${callee}`, 8080, { http: { methods: ['GET'], paths: ['/v1/*'] } }));
    }
    objects.push(authorizationPolicy('m', 'allow-nothing', {}), networkPolicy('m', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    const started = performance.now();
    const report = analyseConnectivity({ objects, outsideWorkloads: [], required: req, mesh: MESH });
    const elapsed = performance.now() - started;
    expect([report.blocked.length, report.unexplained.length, report.allowed.length]).toEqual([0, 0, 40]);
    expect(elapsed).toBeLessThan(1000);
  });
});
