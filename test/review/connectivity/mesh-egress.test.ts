import { describe, expect, it } from 'vitest';
import type { ExternalHost, KubeObject, RequiredConnection } from '../../../review/connectivity';
import { MESH, blockers, namespace, networkPolicy, outside, pods, required, service, serviceEntry } from './builders';

const BASE: KubeObject[] = [namespace('m', { 'istio-injection': 'enabled' }), namespace('plain'), pods('m', 'client'), pods('m', 'server'), pods('plain', 'legacy')];
const ES: ExternalHost = { host: 'es.example.com', port: 9200, protocol: 'TCP', cidrs: ['192.0.2.0/28'] };
const toEs = (from = 'm/client'): RequiredConnection => ({ from, to: { external: ES }, port: 9200, protocol: 'TCP', reason: 'jaeger stores traces' });
const entry = (extra: KubeObject = {}, ns = 'm') =>
  serviceEntry(ns, 'es', { hosts: ['es.example.com'], ports: [{ number: 9200, name: 'tls', protocol: 'TLS' }], location: 'MESH_EXTERNAL', resolution: 'DNS', ...extra });
const refusals = (objects: KubeObject[], connection: RequiredConnection, mesh = MESH) => blockers(objects, connection, [], mesh).map((f) => `${f.layer} ${f.policy ?? '-'}`);

describe('mesh registry (in-cluster destinations under REGISTRY_ONLY)', () => {
  const call = required('m/client', 'm/server', 8080);
  it('needs a Service selecting the destination with that target port', () => {
    expect(blockers(BASE, call)).toEqual([
      {
        layer: 'MeshRegistry',
        message: "m/client -> m/server:8080/TCP: no Service selects m/server with target port 8080, so m/client's sidecar sends it to the BlackHole cluster (outboundTrafficPolicy REGISTRY_ONLY)",
        fix: 'declare port 8080 (targetPort 8080) on a Service selecting m/server; a headless Service is enough for pod-to-pod traffic',
      },
    ]);
    expect(refusals([...BASE, service('m', 'server', { app: 'server' }, [{ name: 'http', port: 80, targetPort: 'http' }])], call)).toEqual([]);
  });

  it('counts headless Services, and a Service port with another target does not', () => {
    expect(refusals([...BASE, service('m', 'server', { app: 'server' }, [{ port: 8080 }], { clusterIP: 'None' })], call)).toEqual([]);
    expect(refusals([...BASE, service('m', 'server', { app: 'server' }, [{ port: 8080, targetPort: 9090 }])], call)).toEqual(['MeshRegistry -']);
  });

  it('assumes outside destinations (istiod, kube-dns) are registered by their own installs', () => {
    const istiod = outside('istio-system', 'istiod', { ports: [{ name: 'grpc-xds', port: 15012, protocol: 'TCP' }] });
    expect(blockers(BASE, required('m/client', 'istio-system/istiod', 15012), [istiod])).toEqual([]);
  });

  it('does not apply to sources without a sidecar, nor under ALLOW_ANY', () => {
    expect(refusals(BASE, required('plain/legacy', 'm/server', 8080))).toEqual([]);
    expect(refusals(BASE, call, { ...MESH, outboundTrafficPolicy: 'ALLOW_ANY' })).toEqual([]);
  });
});

describe('mesh egress (external hosts)', () => {
  it('needs a ServiceEntry for the host under REGISTRY_ONLY', () => {
    expect(refusals([...BASE, entry()], toEs())).toEqual([]);
    expect(blockers(BASE, toEs())).toEqual([
      {
        layer: 'MeshEgress',
        message: 'm/client -> es.example.com:9200/TCP: under outboundTrafficPolicy REGISTRY_ONLY no ServiceEntry serves es.example.com:9200 to namespace m',
        fix: 'add a ServiceEntry with hosts [es.example.com], ports [{ number: 9200, protocol: TLS or TCP }], location MESH_EXTERNAL, resolution DNS, exported to m',
      },
    ]);
    expect(refusals(BASE, toEs(), { ...MESH, outboundTrafficPolicy: 'ALLOW_ANY' })).toEqual([]);
    expect(refusals(BASE, toEs('plain/legacy'))).toEqual([]);
  });

  it('matches wildcard hosts and refuses other hosts', () => {
    expect(refusals([...BASE, entry({ hosts: ['*.example.com'] })], toEs())).toEqual([]);
    expect(refusals([...BASE, entry({ hosts: ['*.example.org'] })], toEs())).toEqual(['MeshEgress -']);
  });

  it('needs the port and location MESH_EXTERNAL', () => {
    expect(refusals([...BASE, entry({ ports: [{ number: 443, name: 'tls', protocol: 'TLS' }] })], toEs())).toEqual(['MeshEgress ServiceEntry/m/es']);
    expect(refusals([...BASE, entry({ location: 'MESH_INTERNAL' })], toEs())).toEqual(['MeshEgress ServiceEntry/m/es']);
  });

  it('needs the entry exported to the source namespace', () => {
    expect(refusals([...BASE, entry({ exportTo: ['.'] })], toEs())).toEqual([]);
    expect(refusals([...BASE, entry({ exportTo: ['.'] }, 'other')], toEs())).toEqual(['MeshEgress ServiceEntry/other/es']);
    expect(refusals([...BASE, entry({ exportTo: ['m'] }, 'other')], toEs())).toEqual([]);
    expect(blockers([...BASE, entry({ exportTo: ['x'] })], toEs())[0].message).toContain('ServiceEntry/m/es: exportTo ["x"] does not include m');
  });

  it('needs endpoints for resolution STATIC', () => {
    expect(refusals([...BASE, entry({ resolution: 'STATIC' })], toEs())).toEqual(['MeshEgress ServiceEntry/m/es']);
    expect(refusals([...BASE, entry({ resolution: 'STATIC', endpoints: [{ address: '192.0.2.1' }] })], toEs())).toEqual([]);
  });

  it('needs an egress rule whose ipBlock covers every cidr of the host, or an empty to', () => {
    const deny = networkPolicy('m', 'default-deny', { podSelector: {}, policyTypes: ['Egress'] });
    const rule = (r: KubeObject) => networkPolicy('m', 'client', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [r] });
    const objects = [...BASE, entry(), deny];
    expect(refusals(objects, toEs())).toEqual(['NetworkPolicy(egress) NetworkPolicy/m/default-deny']);
    expect(refusals([...objects, rule({ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }], ports: [{ port: 9200 }] })], toEs())).toEqual([]);
    expect(refusals([...objects, rule({ to: [{ ipBlock: { cidr: '192.0.2.0/30' } }], ports: [{ port: 9200 }] })], toEs())).toEqual(['NetworkPolicy(egress) NetworkPolicy/m/client']);
    expect(refusals([...objects, rule({ ports: [{ port: 9200 }] })], toEs())).toEqual([]);
    expect(refusals([...objects, rule({ to: [{ namespaceSelector: {} }] })], toEs())).toEqual(['NetworkPolicy(egress) NetworkPolicy/m/client']);
  });
});
