import { readFileSync } from 'node:fs';
import { Testing } from 'cdk8s';
import { AuthorizationPolicy, type AuthorizationRule } from '../../components/mesh';
import { parseManifests } from '../../review/manifests';
import type { K8sObject } from '../../review/objects';

const FIXTURE = 'test/fixtures/diff/prod-services.yaml';

export const NS = 'suoke-life-prod';
export const principal = (sa: string) => `cluster.local/ns/${NS}/sa/${sa}`;

/**
 * Five real prod services' objects (a snapshot, so exact lines do not move with the catalog), fresh
 * on every call: a test may change them freely. Per pod they request 2.5 CPU and 4.5Gi in total,
 * 2..10 replicas each.
 */
export function prodObjects(): K8sObject[] {
  return parseManifests(readFileSync(FIXTURE, 'utf8'), FIXTURE);
}

/** The object `Kind name` of a list (throws when absent, so a fixture typo fails loudly). */
export function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`fixture has no ${kind} ${name}`);
  return found;
}

/** An ALLOW AuthorizationPolicy for `callee`, built by the mesh component the mesh chart uses. */
export function allowPolicy(callee: string, rules: readonly AuthorizationRule[]): K8sObject {
  const chart = Testing.chart();
  new AuthorizationPolicy(chart, callee, {
    name: callee,
    namespace: NS,
    selector: { 'app.kubernetes.io/name': callee, 'app.kubernetes.io/instance': 'suoke-life-prod' },
    rules,
  });
  return Testing.synth(chart)[0];
}

/** The namespace's allow-nothing policy. */
export function allowNothing(): K8sObject {
  const chart = Testing.chart();
  new AuthorizationPolicy(chart, 'deny', { name: 'allow-nothing', namespace: NS });
  return Testing.synth(chart)[0];
}

export function peerAuthentication(mode: string): K8sObject {
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: NS }, spec: { mtls: { mode } } };
}

/** A Kong DB-less config in a ConfigMap, one route per entry. */
export function kongConfig(routes: readonly { service: string; path: string; methods: string[] }[]): K8sObject {
  const lines = ['_format_version: "3.0"', 'services:'];
  for (const r of routes) {
    lines.push(`  - name: ${r.service}`, `    url: http://${r.service}.${NS}.svc:8080`, '    routes:', `      - name: ${r.service}`, `        paths: [${r.path}]`, `        methods: [${r.methods.join(', ')}]`);
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kong-config', namespace: NS }, data: { 'kong.yml': `${lines.join('\n')}\n` } };
}
