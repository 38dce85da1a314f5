import { istioMatch } from './istio-match';
import { serviceEntryMismatch } from './mesh-egress';
import { peerMatchesWorkload, type Peer } from './network-policy';
import { selects, selectsIstio } from './selectors';
import { policyName, type DeadRule, type KubeObject, type RequiredConnection, type Workload } from './types';

function networkPolicyDeadRules(policy: KubeObject, workloads: readonly Workload[]): DeadRule[] {
  const ns = policy.metadata?.namespace ?? 'default';
  const name = policyName(policy);
  const dead: DeadRule[] = [];
  if (!workloads.some((w) => w.namespace === ns && selects(policy.spec?.podSelector ?? {}, w.podLabels))) {
    dead.push({ policy: name, path: 'spec.podSelector', message: `selects no workload in namespace ${ns}` });
  }
  for (const field of ['ingress', 'egress'] as const) {
    ((policy.spec?.[field] ?? []) as KubeObject[]).forEach((rule, i) => {
      const peers: Peer[] = (field === 'ingress' ? rule.from : rule.to) ?? [];
      peers.forEach((peer, j) => {
        if (peer.ipBlock) return;
        if (!workloads.some((w) => peerMatchesWorkload(peer, ns, w))) {
          dead.push({ policy: name, path: `spec.${field}[${i}].${field === 'ingress' ? 'from' : 'to'}[${j}]`, message: `peer ${JSON.stringify(peer)} selects no workload` });
        }
      });
    });
  }
  return dead;
}

function authorizationDeadRules(policy: KubeObject, workloads: readonly Workload[], rootNamespace: string): DeadRule[] {
  const ns = policy.metadata?.namespace ?? 'default';
  const name = policyName(policy);
  const dead: DeadRule[] = [];
  const inScope = workloads.filter((w) => w.meshed && (ns === rootNamespace || w.namespace === ns));
  if (!policy.spec?.targetRef && !policy.spec?.targetRefs && !inScope.some((w) => selectsIstio(policy.spec?.selector, w.podLabels))) {
    dead.push({ policy: name, path: 'spec.selector', message: `applies to no meshed workload${ns === rootNamespace ? '' : ` in namespace ${ns}`}` });
  }
  if (!['ALLOW', 'DENY', undefined].includes(policy.spec?.action)) return dead;
  const principals = workloads.flatMap((w) => (w.principal ? [w.principal] : []));
  ((policy.spec?.rules ?? []) as KubeObject[]).forEach((rule, i) =>
    ((rule.from ?? []) as KubeObject[]).forEach((from, j) => {
      for (const field of ['principals', 'notPrincipals'] as const) {
        ((from.source?.[field] ?? []) as string[]).forEach((principal, k) => {
          if (principal !== '*' && !principals.some((p) => istioMatch(principal, p))) {
            dead.push({ policy: name, path: `spec.rules[${i}].from[${j}].source.${field}[${k}]`, message: `principal ${principal} belongs to no workload` });
          }
        });
      }
    }),
  );
  return dead;
}

function serviceEntryDeadRules(entry: KubeObject, required: readonly RequiredConnection[], byId: ReadonlyMap<string, Workload>): DeadRule[] {
  const used = required.some((r) => 'external' in r.to && byId.has(r.from) && serviceEntryMismatch(entry, r.to.external, byId.get(r.from)!.namespace) === undefined);
  return used ? [] : [{ policy: policyName(entry), path: 'spec.hosts', message: `serves no required connection (hosts ${JSON.stringify(entry.spec?.hosts ?? [])})` }];
}

/**
 * Rules that select nothing: every NetworkPolicy podSelector and non-ipBlock peer, every AuthorizationPolicy
 * selector and named principal, every ServiceEntry (which a required connection must use).
 */
export function findDeadRules(objects: readonly KubeObject[], workloads: readonly Workload[], required: readonly RequiredConnection[], rootNamespace: string): DeadRule[] {
  const byId = new Map(workloads.map((w) => [w.id, w]));
  return objects.flatMap((o) => {
    switch (o.kind) {
      case 'NetworkPolicy':
        return networkPolicyDeadRules(o, workloads);
      case 'AuthorizationPolicy':
        return authorizationDeadRules(o, workloads, rootNamespace);
      case 'ServiceEntry':
        return serviceEntryDeadRules(o, required, byId);
      default:
        return [];
    }
  });
}
