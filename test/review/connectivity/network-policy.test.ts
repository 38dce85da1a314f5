import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../review/connectivity';
import { blockers, namespace, networkPolicy, outside, pods, required } from './builders';

// Namespaces without istio-injection: only NetworkPolicy decides here.
const BASE: KubeObject[] = [
  namespace('a', { team: 'a' }),
  namespace('b', { team: 'b' }),
  pods('a', 'client', { ports: [{ name: 'other', containerPort: 7000 }] }),
  pods('b', 'server', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] }),
];
const CALL = required('a/client', 'b/server', 8080);
const denyIngress = networkPolicy('b', 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] });
const ingress = (rule: KubeObject) => networkPolicy('b', 'server', { podSelector: { matchLabels: { app: 'server' } }, policyTypes: ['Ingress'], ingress: [rule] });
const egress = (rule: KubeObject) => networkPolicy('a', 'client', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [rule] });
const layers = (objects: KubeObject[], connection = CALL, out = [] as ReturnType<typeof outside>[]) => blockers(objects, connection, out).map((f) => `${f.layer} ${f.policy}`);

describe('NetworkPolicy isolation', () => {
  it('allows a pod no policy selects, and blocks once a policy selects it for ingress', () => {
    expect(layers(BASE)).toEqual([]);
    const findings = blockers([...BASE, denyIngress], CALL);
    expect(findings).toEqual([
      {
        layer: 'NetworkPolicy(ingress)',
        policy: 'NetworkPolicy/b/default-deny',
        message: 'a/client -> b/server:8080/TCP: ingress of b/server is isolated by NetworkPolicy/b/default-deny and no ingress rule admits the source on that port',
        fix: 'add to NetworkPolicy/b/default-deny an ingress rule from the pods of a/client on TCP 8080',
      },
    ]);
  });

  it('defaults policyTypes to Ingress, adding Egress only when the policy has egress rules', () => {
    const ingressOnly = networkPolicy('a', 'p', { podSelector: {}, ingress: [{}] });
    expect(layers([...BASE, ingressOnly])).toEqual([]);
    const withEgress = networkPolicy('a', 'p', { podSelector: {}, egress: [{ to: [{ podSelector: { matchLabels: { app: 'nobody' } } }] }] });
    expect(layers([...BASE, withEgress])).toEqual(['NetworkPolicy(egress) NetworkPolicy/a/p']);
  });

  it('needs both egress at the source and ingress at the destination', () => {
    const egressOpen = egress({ to: [{ namespaceSelector: { matchLabels: { team: 'b' } } }] });
    const ingressOpen = ingress({ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] });
    expect(layers([...BASE, denyIngress, egressOpen])).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/default-deny']);
    expect(layers([...BASE, egress({ to: [] as KubeObject[], ports: [{ port: 1 }] }), ingressOpen])).toEqual(['NetworkPolicy(egress) NetworkPolicy/a/client']);
    expect(layers([...BASE, egressOpen, ingressOpen])).toEqual([]);
  });

  it('reads a podSelector alone as pods of the policy namespace', () => {
    expect(layers([...BASE, ingress({ from: [{ podSelector: { matchLabels: { app: 'client' } } }] })])).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/server']);
    const local = pods('b', 'client', { labels: { app: 'client' } });
    expect(layers([...BASE, local, ingress({ from: [{ podSelector: { matchLabels: { app: 'client' } } }] })], required('b/client', 'b/server', 8080))).toEqual([]);
  });

  it('reads a namespaceSelector alone as every pod of the matching namespaces', () => {
    expect(layers([...BASE, ingress({ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] })])).toEqual([]);
    expect(layers([...BASE, ingress({ from: [{ namespaceSelector: { matchLabels: { team: 'c' } } }] })])).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/server']);
  });

  it('ANDs podSelector and namespaceSelector in one peer, ORs separate peers', () => {
    const ns = { matchLabels: { team: 'a' } };
    expect(layers([...BASE, ingress({ from: [{ namespaceSelector: ns, podSelector: { matchLabels: { app: 'client' } } }] })])).toEqual([]);
    expect(layers([...BASE, ingress({ from: [{ namespaceSelector: ns, podSelector: { matchLabels: { app: 'other' } } }] })])).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/server']);
    expect(layers([...BASE, ingress({ from: [{ namespaceSelector: ns }, { podSelector: { matchLabels: { app: 'other' } } }] })])).toEqual([]);
  });

  it('matches the namespace by its kubernetes.io/metadata.name label and by matchExpressions', () => {
    const byName = { matchLabels: { 'kubernetes.io/metadata.name': 'a' } };
    expect(layers([...BASE, ingress({ from: [{ namespaceSelector: byName }] })])).toEqual([]);
    const notIn = { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] };
    expect(layers([...BASE, ingress({ from: [{ namespaceSelector: notIn }] })])).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/server']);
  });

  it('reads an empty from as every source, outside ones included, and a namespaceSelector {} peer as every pod but nothing outside', () => {
    const internet = outside('', 'internet', { id: 'internet', addresses: ['203.0.113.7'] });
    const call = required('internet', 'b/server', 8080);
    expect(layers([...BASE, ingress({ ports: [{ port: 8080 }] })], call, [internet])).toEqual([]);
    expect(layers([...BASE, ingress({ from: [{ namespaceSelector: {} }] })], call, [internet])).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/server']);
  });

  it('matches ipBlock with except against declared addresses, never against pods', () => {
    const internet = outside('', 'internet', { id: 'internet', addresses: ['203.0.113.7'] });
    const call = required('internet', 'b/server', 8080);
    expect(layers([...BASE, ingress({ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] })], call, [internet])).toEqual([]);
    expect(layers([...BASE, ingress({ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['203.0.113.0/24'] } }] })], call, [internet])).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/server']);
    expect(layers([...BASE, ingress({ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] })])).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/server']);
  });
});

describe('NetworkPolicy ports', () => {
  const from = [{ namespaceSelector: {} }];
  it('matches a numbered port and refuses another', () => {
    expect(layers([...BASE, ingress({ from, ports: [{ port: 8080, protocol: 'TCP' }] })])).toEqual([]);
    expect(layers([...BASE, ingress({ from, ports: [{ port: 8081, protocol: 'TCP' }] })])).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/server']);
  });

  it('resolves a named port against the destination pod, for ingress and for egress', () => {
    expect(layers([...BASE, ingress({ from, ports: [{ port: 'http' }] })])).toEqual([]);
    expect(layers([...BASE, ingress({ from, ports: [{ port: 'other' }] })])).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/server']);
    // `http` is the server's name for 8080; the client itself names only 7000 `other`.
    expect(layers([...BASE, egress({ ports: [{ port: 'http' }] })])).toEqual([]);
    expect(layers([...BASE, egress({ ports: [{ port: 'other' }] })])).toEqual(['NetworkPolicy(egress) NetworkPolicy/a/client']);
  });

  it('defaults the protocol to TCP and matches UDP only when named', () => {
    const dns = required('a/client', 'b/server', 5353, { protocol: 'UDP' });
    expect(layers([...BASE, ingress({ from, ports: [{ port: 5353, protocol: 'UDP' }] })], dns)).toEqual([]);
    expect(layers([...BASE, ingress({ from, ports: [{ port: 5353 }] })], dns)).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/server']);
  });

  it('matches an endPort range inclusively', () => {
    expect(layers([...BASE, ingress({ from, ports: [{ port: 8000, endPort: 8080 }] })])).toEqual([]);
    expect(layers([...BASE, ingress({ from, ports: [{ port: 8081, endPort: 9000 }] })])).toEqual(['NetworkPolicy(ingress) NetworkPolicy/b/server']);
  });

  it('reads empty ports as every port', () => {
    expect(layers([...BASE, ingress({ from, ports: [] })])).toEqual([]);
  });
});
