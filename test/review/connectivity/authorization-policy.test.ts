import { describe, expect, it } from 'vitest';
import { ServiceIndex, extractWorkloads, type KubeObject } from '../../../review/connectivity';
import { authorizationPolicy, blockers, namespace, peerAuthentication, pods, required, service } from './builders';

// A meshed namespace `m` (client and server with sidecars) and a plain one (legacy, no sidecar).
const SERVER_PORTS = [
  { name: 'http', containerPort: 8080 },
  { name: 'tcp-data', containerPort: 9000 },
  { name: 'grpc', containerPort: 50052 },
];
const BASE: KubeObject[] = [
  namespace('m', { 'istio-injection': 'enabled' }),
  namespace('plain'),
  pods('m', 'client', { serviceAccountName: 'client' }),
  pods('m', 'server', { serviceAccountName: 'server', ports: SERVER_PORTS }),
  pods('plain', 'legacy'),
  service('m', 'server', { app: 'server' }, [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'tcp-data', port: 9000 },
    { name: 'grpc', port: 50052, targetPort: 'grpc' },
  ]),
];
const CLIENT = 'cluster.local/ns/m/sa/client';
const SELECT_SERVER = { matchLabels: { app: 'server' } };
const allow = (rules: KubeObject[] | undefined, name = 'server') => authorizationPolicy('m', name, { selector: SELECT_SERVER, action: 'ALLOW', ...(rules ? { rules } : {}) });
const deny = (rules: KubeObject[], ns = 'm') => authorizationPolicy(ns, 'deny', { action: 'DENY', rules });
const HTTP = required('m/client', 'm/server', 8080);
const TCP = required('m/client', 'm/server', 9000);
const refusals = (objects: KubeObject[], connection = HTTP) => blockers(objects, connection).map((f) => `${f.layer} ${f.policy}`);

describe('AuthorizationPolicy order', () => {
  it('allows when no ALLOW policy applies, and allow-nothing (no rules) matches nothing', () => {
    expect(refusals(BASE)).toEqual([]);
    const findings = blockers([...BASE, authorizationPolicy('m', 'allow-nothing', {})], HTTP);
    expect(findings).toEqual([
      {
        layer: 'AuthorizationPolicy',
        policy: 'AuthorizationPolicy/m/allow-nothing',
        message: 'm/client -> m/server:8080/TCP * *: no rule of the ALLOW policies AuthorizationPolicy/m/allow-nothing admits principal cluster.local/ns/m/sa/client',
        fix: 'add to AuthorizationPolicy/m/allow-nothing a rule from principals [cluster.local/ns/m/sa/client] to ports [8080] with the methods and paths listed',
      },
    ]);
  });

  it('lets a matching DENY win over a matching ALLOW', () => {
    expect(refusals([...BASE, allow([{}]), deny([{ from: [{ source: { principals: [CLIENT] } }] }])])).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/deny']);
    expect(refusals([...BASE, allow([{}]), deny([{ from: [{ source: { principals: ['cluster.local/ns/m/sa/other'] } }] }])])).toEqual([]);
  });

  it('applies root-namespace policies to every workload, respecting their selector', () => {
    expect(refusals([...BASE, deny([{}], 'istio-system')])).toEqual(['AuthorizationPolicy AuthorizationPolicy/istio-system/deny']);
    const elsewhere = authorizationPolicy('istio-system', 'deny', { action: 'DENY', selector: { matchLabels: { app: 'other' } }, rules: [{}] });
    expect(refusals([...BASE, elsewhere])).toEqual([]);
  });

  it('ignores CUSTOM policies', () => {
    expect(refusals([...BASE, authorizationPolicy('m', 'ext', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] })])).toEqual([]);
  });

  it('does not rely on an ALLOW rule with a `when` condition, and says so', () => {
    const findings = blockers([...BASE, allow([{ when: [{ key: 'request.headers[x]', values: ['1'] }] }])], HTTP);
    expect(findings.map((f) => f.message)).toEqual([
      'm/client -> m/server:8080/TCP * *: no rule of the ALLOW policies AuthorizationPolicy/m/server admits principal cluster.local/ns/m/sa/client; rules with `when` conditions are not modelled and were not relied on',
    ]);
    expect(refusals([...BASE, allow([{}])])).toEqual([]);
  });

  it('assumes a DENY rule with a `when` condition matches, and says so', () => {
    const findings = blockers([...BASE, deny([{ from: [{ source: { principals: [CLIENT] } }], when: [{ key: 'request.headers[x]', values: ['1'] }] }])], HTTP);
    expect(findings.map((f) => f.message)).toEqual(['m/client -> m/server:8080/TCP * *: denied by AuthorizationPolicy/m/deny spec.rules[0] (its `when` condition is not modelled and assumed to hold)']);
    expect(refusals([...BASE, deny([{ from: [{ source: { principals: ['cluster.local/ns/m/sa/other'] } }], when: [{ key: 'request.headers[x]', values: ['1'] }] }])])).toEqual([]);
  });
});

describe('AuthorizationPolicy sources', () => {
  it('matches principals and notPrincipals', () => {
    expect(refusals([...BASE, allow([{ from: [{ source: { principals: [CLIENT] } }] }])])).toEqual([]);
    expect(refusals([...BASE, allow([{ from: [{ source: { principals: ['cluster.local/ns/m/sa/other'] } }] }])])).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
    expect(refusals([...BASE, allow([{ from: [{ source: { notPrincipals: [CLIENT] } }] }])])).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
    expect(refusals([...BASE, allow([{ from: [{ source: { principals: ['cluster.local/ns/m/*'] } }] }])])).toEqual([]);
  });

  it('never matches requestPrincipals: no request here carries a JWT', () => {
    expect(refusals([...BASE, allow([{ from: [{ source: { requestPrincipals: ['*'] } }] }])])).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
    expect(refusals([...BASE, allow([{ from: [{ source: { notRequestPrincipals: ['issuer/subject'] } }] }])])).toEqual([]);
  });

  it('matches namespaces and notNamespaces', () => {
    expect(refusals([...BASE, allow([{ from: [{ source: { namespaces: ['m'] } }] }])])).toEqual([]);
    expect(refusals([...BASE, allow([{ from: [{ source: { namespaces: ['x'] } }] }])])).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
    expect(refusals([...BASE, allow([{ from: [{ source: { notNamespaces: ['m'] } }] }])])).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
  });

  it('gives a source without a sidecar no principal: a principals rule never matches it, a rule without from does', () => {
    const legacy = required('plain/legacy', 'm/server', 8080);
    expect(refusals([...BASE, allow([{ from: [{ source: { principals: ['*'] } }] }])], legacy)).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
    expect(refusals([...BASE, allow([{ to: [{ operation: { ports: ['8080'] } }] }])], legacy)).toEqual([]);
  });

  it('gives a meshed source no principal when the destination disables mTLS', () => {
    const disabled = peerAuthentication('m', 'default', { mtls: { mode: 'DISABLE' } });
    expect(refusals([...BASE, disabled, allow([{ from: [{ source: { principals: [CLIENT] } }] }])])).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
  });
});

describe('AuthorizationPolicy operations', () => {
  it('matches ports and notPorts', () => {
    expect(refusals([...BASE, allow([{ to: [{ operation: { ports: ['8080'] } }] }])])).toEqual([]);
    expect(refusals([...BASE, allow([{ to: [{ operation: { ports: ['9000'] } }] }])])).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
    expect(refusals([...BASE, allow([{ to: [{ operation: { notPorts: ['8080'] } }] }])])).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
    expect(refusals([...BASE, allow([{ to: [{ operation: { ports: [8080] } }] }])])).toEqual([]);
  });

  it('never matches TCP traffic with an ALLOW rule holding HTTP-only fields', () => {
    expect(refusals([...BASE, allow([{ to: [{ operation: { ports: ['9000'] } }] }])], TCP)).toEqual([]);
    expect(refusals([...BASE, allow([{ to: [{ operation: { ports: ['9000'], methods: ['GET'] } }] }])], TCP)).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
  });

  it('ignores HTTP-only fields of a DENY rule for TCP traffic, and honours them for HTTP', () => {
    const denyAdmin = deny([{ to: [{ operation: { paths: ['/admin/*'] } }] }]);
    expect(refusals([...BASE, denyAdmin], TCP)).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/deny']);
    expect(refusals([...BASE, denyAdmin], required('m/client', 'm/server', 8080, { http: { methods: ['GET'], paths: ['/api/v1/x'] } }))).toEqual([]);
    expect(refusals([...BASE, denyAdmin], required('m/client', 'm/server', 8080, { http: { methods: ['GET'], paths: ['/admin/users'] } }))).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/deny']);
  });

  it('requires every listed method × path to be allowed', () => {
    const call = required('m/client', 'm/server', 8080, { http: { methods: ['GET', 'POST'], paths: ['/api/v1/x/*'] } });
    expect(refusals([...BASE, allow([{ to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/v1/*'] } }] }])], call)).toEqual([]);
    const findings = blockers([...BASE, allow([{ to: [{ operation: { methods: ['GET'], paths: ['/api/v1/*'] } }] }])], call);
    expect(findings.map((f) => f.message)).toEqual([
      'm/client -> m/server:8080/TCP POST /api/v1/x/*: no rule of the ALLOW policies AuthorizationPolicy/m/server admits principal cluster.local/ns/m/sa/client',
    ]);
    expect(refusals([...BASE, allow([{ to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/v1/x'] } }] }])], call)).toHaveLength(2);
  });

  it('honours notPaths and notMethods against every request made', () => {
    const call = required('m/client', 'm/server', 8080, { http: { methods: ['GET'], paths: ['/api/*'] } });
    expect(refusals([...BASE, allow([{ to: [{ operation: { notPaths: ['/admin/*'], notMethods: ['DELETE'] } }] }])], call)).toEqual([]);
    expect(refusals([...BASE, allow([{ to: [{ operation: { notPaths: ['/api/secret'] } }] }])], call)).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
  });

  it('reads a required connection without http as every request on the port', () => {
    expect(refusals([...BASE, allow([{ to: [{ operation: { paths: ['/api/*'] } }] }])])).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/server']);
    expect(refusals([...BASE, allow([{ from: [{ source: { principals: [CLIENT] } }] }])])).toEqual([]);
  });

  it('lets ports excluded from the sidecar bypass every AuthorizationPolicy', () => {
    const excluded = pods('m', 'server', { serviceAccountName: 'server', ports: SERVER_PORTS, annotations: { 'traffic.sidecar.istio.io/excludeInboundPorts': '9000' } });
    const objects = [...BASE.filter((o) => o.metadata.name !== 'server' || o.kind !== 'Deployment'), excluded, authorizationPolicy('m', 'allow-nothing', {})];
    expect(refusals(objects, TCP)).toEqual([]);
    expect(refusals(objects, required('plain/legacy', 'm/server', 15020))).toEqual([]);
    expect(refusals(objects, HTTP)).toEqual(['AuthorizationPolicy AuthorizationPolicy/m/allow-nothing']);
  });
});

describe('destination port protocol', () => {
  const workloads = extractWorkloads(BASE, []);
  const server = workloads.find((w) => w.id === 'm/server')!;

  it('takes the selecting Service port: appProtocol first, then its name prefix', () => {
    const services = new ServiceIndex([
      service('m', 'a', { app: 'server' }, [{ name: 'tcp-web', appProtocol: 'http', port: 80, targetPort: 8080 }]),
      service('m', 'b', { app: 'server' }, [{ name: 'redis-x', port: 9000 }]),
      service('m', 'c', { app: 'server' }, [{ name: 'grpc-web-api', port: 1, targetPort: 'grpc' }]),
    ]);
    expect(services.protocolOf(server, 8080, 'TCP')).toBe('HTTP');
    expect(services.protocolOf(server, 9000, 'TCP')).toBe('TCP');
    expect(services.protocolOf(server, 50052, 'TCP')).toBe('HTTP');
  });

  it('falls back to the container port name, then to TCP', () => {
    const services = new ServiceIndex([]);
    expect(services.protocolOf(server, 8080, 'TCP')).toBe('HTTP');
    expect(services.protocolOf(server, 9000, 'TCP')).toBe('TCP');
    expect(services.protocolOf(server, 15020, 'TCP')).toBe('TCP');
  });
});
