import { compare } from '../objects';
import { policyName, type KubeObject } from './types';

/** One rule of one policy: `NetworkPolicy/ns/name` and `spec.ingress[0]`, or an AuthorizationPolicy's `spec.rules[1]`. */
export interface RuleRef {
  readonly policy: string;
  readonly path: string;
}

const FIELDS: Readonly<Record<string, readonly ('ingress' | 'egress' | 'rules')[]>> = {
  NetworkPolicy: ['ingress', 'egress'],
  AuthorizationPolicy: ['rules'],
};

/**
 * Every NetworkPolicy ingress/egress rule and every ALLOW AuthorizationPolicy rule, sorted: what a
 * "remove any single rule" or "widen any single rule" test walks over.
 */
export function policyRules(objects: readonly KubeObject[]): RuleRef[] {
  return objects
    .flatMap((o) => {
      if (o.kind === 'AuthorizationPolicy' && (o.spec?.action ?? 'ALLOW') !== 'ALLOW') return [];
      return (FIELDS[o.kind] ?? []).flatMap((field) => ((o.spec?.[field] ?? []) as unknown[]).map((_, i) => ({ policy: policyName(o), path: `spec.${field}[${i}]` })));
    })
    .sort((a, b) => compare(a.policy, b.policy) || compare(a.path, b.path));
}

function edit(objects: readonly KubeObject[], ref: RuleRef, change: (rules: KubeObject[], index: number, kind: string) => void): KubeObject[] {
  const match = /^spec\.(ingress|egress|rules)\[(\d+)\]$/.exec(ref.path);
  if (!match) throw new Error(`rule path "${ref.path}" is not supported; allowed: spec.ingress[i], spec.egress[i], spec.rules[i]`);
  let found = false;
  const result = objects.map((o) => {
    if (policyName(o) !== ref.policy) return o;
    const copy = structuredClone(o) as KubeObject;
    const rules = copy.spec?.[match[1]] as KubeObject[] | undefined;
    const index = Number(match[2]);
    if (!rules || index >= rules.length) return o;
    found = true;
    change(rules, index, o.kind);
    return copy;
  });
  if (!found) throw new Error(`rule ${ref.policy} ${ref.path} does not exist; list them with policyRules()`);
  return result;
}

/**
 * The objects with one rule removed (the policy still isolates: generated policies name their
 * policyTypes; a policy relying on the policyTypes default loses Egress isolation with its last egress rule).
 */
export function withoutRule(objects: readonly KubeObject[], ref: RuleRef): KubeObject[] {
  return edit(objects, ref, (rules, index) => rules.splice(index, 1));
}

/**
 * The objects with one rule widened to every peer and every port: a NetworkPolicy rule loses its
 * `from`/`to` and `ports`, an AuthorizationPolicy rule its `from`, `to` and `when`.
 */
export function widenRule(objects: readonly KubeObject[], ref: RuleRef): KubeObject[] {
  return edit(objects, ref, (rules, index, kind) => {
    const rule = rules[index];
    for (const key of kind === 'NetworkPolicy' ? ['from', 'to', 'ports'] : ['from', 'to', 'when']) delete rule[key];
  });
}
