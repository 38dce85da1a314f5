import { POLICY_EXCEPTION_PREFIX } from '../../components/common';
import { ObjectIndex, type K8sObject } from '../policy/object-index';
import type { SynthesizedObject } from './platform';

const NAME = 'app.kubernetes.io/name';

/**
 * What the synthesized AuthorizationPolicies allow, read from the objects alone: one
 * `principal callee METHOD path` line per (caller principal, callee, method, path), the callee
 * being the workload the policy's selector selects. Rules without `from` (the public entry) are
 * left out only when the policy declares its M4 exception; otherwise they are reported as `ANY`.
 */
export function allowedTuples(objects: readonly SynthesizedObject[]): string[] {
  const index = new ObjectIndex(objects);
  const tuples: string[] = [];
  for (const policy of index.ofKind('AuthorizationPolicy')) {
    if (!policy.spec?.rules?.length) continue;
    // by application: a canary's Deployment is another track of the same callee.
    const applications = index.applicationsSelectedBy(policy.metadata.namespace, policy.spec.selector?.matchLabels);
    const callee = applications.length === 1 ? applications[0] : `<${applications.length} workloads>`;
    const publicEntry = `${POLICY_EXCEPTION_PREFIX}m4` in (policy.metadata.annotations ?? {});
    for (const rule of policy.spec.rules as K8sObject[]) {
      const principals: string[] = (rule.from ?? []).flatMap((f: K8sObject) => f.source?.principals ?? []);
      if (principals.length === 0) {
        if (!publicEntry) tuples.push(`ANY ${callee}`);
        continue;
      }
      for (const principal of principals) {
        for (const to of rule.to ?? [{}]) {
          for (const method of to.operation?.methods ?? ['*']) {
            for (const path of to.operation?.paths ?? ['*']) tuples.push(`${principal} ${callee} ${method} ${path}`);
          }
        }
      }
    }
  }
  return tuples.sort();
}

/**
 * Pod-to-pod flows the synthesized NetworkPolicies open inside one namespace, by pod name label:
 * `ingress <callee> <- <caller> :<ports>` and `egress <caller> -> <callee> :<ports>`.
 */
export function networkFlows(objects: readonly SynthesizedObject[]): string[] {
  const flows: string[] = [];
  for (const { object: policy } of objects) {
    if (policy.kind !== 'NetworkPolicy') continue;
    const self = policy.spec.podSelector?.matchLabels?.[NAME];
    if (!self) continue;
    const ports = (rule: K8sObject) => (rule.ports ?? []).map((p: K8sObject) => p.port).join(',');
    for (const rule of policy.spec.ingress ?? []) {
      for (const peer of rule.from ?? []) if (!peer.namespaceSelector && peer.podSelector?.matchLabels?.[NAME]) flows.push(`ingress ${self} <- ${peer.podSelector.matchLabels[NAME]} :${ports(rule)}`);
    }
    for (const rule of policy.spec.egress ?? []) {
      for (const peer of rule.to ?? []) if (!peer.namespaceSelector && peer.podSelector?.matchLabels?.[NAME]) flows.push(`egress ${self} -> ${peer.podSelector.matchLabels[NAME]} :${ports(rule)}`);
    }
  }
  return flows.sort();
}

/** `policy: principal` for every principal of every AuthorizationPolicy, and every NetworkPolicy rule peer. */
export function grants(objects: readonly SynthesizedObject[]): string[] {
  const lines: string[] = [];
  for (const { object } of objects) {
    if (object.kind === 'AuthorizationPolicy') {
      for (const rule of object.spec?.rules ?? []) {
        for (const f of rule.from ?? []) for (const p of f.source?.principals ?? []) lines.push(`AuthorizationPolicy ${object.metadata.name}: ${p}`);
      }
    }
  }
  return [...lines, ...networkFlows(objects).map((f) => `NetworkPolicy ${f}`)].sort();
}
