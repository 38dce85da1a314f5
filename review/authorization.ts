import { compare, type K8sObject } from './objects';

/** Who may call whom, as the synthesized Istio AuthorizationPolicies say. */
export interface AuthorizationEdge {
  /** The caller's principal (`cluster.local/ns/<ns>/sa/<sa>`), or `*` for a public rule (no `from`). */
  readonly principal: string;
  /** The service account part of the principal, or `*`. */
  readonly caller: string;
  /** The selected workload's `app.kubernetes.io/name`, or `*` for a namespace-wide policy. */
  readonly callee: string;
  readonly namespace: string;
  /** The policy the edge comes from, `namespace/name`. */
  readonly policy: string;
  /** Sorted; empty means any. */
  readonly methods: readonly string[];
  /** Sorted; empty means any. */
  readonly paths: readonly string[];
  /** Sorted; empty means any. */
  readonly ports: readonly string[];
}

export const ANY_CALLER = '*';

/**
 * Every (caller principal → callee, operation) tuple the ALLOW AuthorizationPolicies admit, sorted.
 * An allow-nothing policy (`spec: {}`) contributes none; a rule without `from` admits any caller
 * (`*`); a rule without `to` admits any operation (one tuple with empty methods, paths, ports).
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export function authorizationEdges(objects: readonly K8sObject[]): AuthorizationEdge[] {
  const edges: AuthorizationEdge[] = [];
  for (const policy of objects) {
    if (policy.kind !== 'AuthorizationPolicy' || !String(policy.apiVersion).startsWith('security.istio.io/')) continue;
    const spec = policy.spec ?? {};
    if ((spec.action ?? 'ALLOW') !== 'ALLOW') continue;
    const namespace = policy.metadata?.namespace ?? '';
    const callee = spec.selector?.matchLabels?.['app.kubernetes.io/name'] ?? ANY_CALLER;
    for (const rule of spec.rules ?? []) {
      const sources: K8sObject[] = rule.from ?? [];
      const principals = sources.length === 0 ? [ANY_CALLER] : sources.flatMap((f) => f.source?.principals ?? []);
      const operations: K8sObject[] = (rule.to ?? []).map((t: K8sObject) => t.operation ?? {});
      for (const principal of principals) {
        for (const operation of operations.length === 0 ? [{}] : operations) {
          edges.push({
            principal,
            caller: principal === ANY_CALLER ? ANY_CALLER : principal.split('/sa/').pop()!,
            callee,
            namespace,
            policy: `${namespace}/${policy.metadata?.name}`,
            methods: sorted(operation.methods),
            paths: sorted(operation.paths),
            ports: sorted(operation.ports),
          });
        }
      }
    }
  }
  return edges.sort((a, b) => compare(edgeKey(a), edgeKey(b)));
}

/** `caller → callee METHODS paths [ports]`, the line reviewers read and the identity of an edge. */
export function edgeKey(edge: AuthorizationEdge): string {
  const caller = edge.caller === ANY_CALLER ? 'public' : edge.caller;
  const methods = edge.methods.length > 0 ? edge.methods.join(',') : 'any-method';
  const paths = edge.paths.length > 0 ? edge.paths.join(',') : 'any-path';
  const ports = edge.ports.length > 0 ? ` port ${edge.ports.join(',')}` : '';
  return `${caller} → ${edge.callee} ${methods} ${paths}${ports}`;
}

/** Namespaces holding an allow-nothing policy (`spec: {}`), the mesh's default deny (SECURITY.md M2). */
export function denyAllNamespaces(objects: readonly K8sObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'AuthorizationPolicy' && Object.keys(o.spec ?? {}).length === 0)
    .map((o) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`)
    .sort(compare);
}

function sorted(values: unknown): string[] {
  return Array.isArray(values) ? values.map(String).sort(compare) : [];
}
