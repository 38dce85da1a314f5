import { ipBlockCovers } from './cidr';
import { selects, type LabelSelector } from './selectors';
import { describeFlow, type Flow, type Target, type Verdict } from './target';
import { policyName, type Finding, type KubeObject, type Workload } from './types';
import { byNamespace } from './by-namespace';

/**
 * Kubernetes NetworkPolicy (networking.k8s.io/v1) semantics.
 * @see https://github.com/kubernetes/api/blob/master/networking/v1/types.go (NetworkPolicySpec, NetworkPolicyPeer, NetworkPolicyPort)
 */
export type Direction = 'Ingress' | 'Egress';

export interface Peer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

interface PolicyPort {
  readonly port?: number | string;
  readonly endPort?: number;
  readonly protocol?: string;
}

/**
 * policyTypes default: Ingress always, Egress when the policy has egress rules ("policies that contain an
 * egress section are assumed to affect egress", NetworkPolicySpec.policyTypes).
 */
export function policyTypesOf(policy: KubeObject): Direction[] {
  const spec = policy.spec ?? {};
  return spec.policyTypes ?? ['Ingress', ...((spec.egress ?? []).length > 0 ? (['Egress'] as const) : [])];
}

/** A peer, as seen from a policy in `namespace`, matches a workload (never by pod IP: those are not known). */
export function peerMatchesWorkload(peer: Peer, namespace: string, workload: Workload): boolean {
  if (peer.ipBlock) return (workload.addresses ?? []).length > 0 && workload.addresses!.every((a) => ipBlockCovers(peer.ipBlock!, a));
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  if (!workload.namespace) return false;
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, workload.namespaceLabels) : workload.namespace === namespace;
  return namespaceOk && selects(peer.podSelector, workload.podLabels);
}

function peerMatchesTarget(peer: Peer, namespace: string, target: Target): boolean {
  if ('workload' in target) return peerMatchesWorkload(peer, namespace, target.workload);
  const { cidrs } = target.external;
  return !!peer.ipBlock && cidrs.length > 0 && cidrs.every((c) => ipBlockCovers(peer.ipBlock!, c));
}

/** A rule's ports admit the flow; a named port is resolved against the destination pod's container ports. */
export function portsMatch(ports: readonly PolicyPort[] | undefined, flow: Flow): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== flow.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.endPort !== undefined ? flow.port >= p.port && flow.port <= p.endPort : flow.port === p.port;
    if (!('workload' in flow.target)) return false;
    return flow.target.workload.ports.some((wp) => wp.name === p.port && wp.port === flow.port && wp.protocol === flow.protocol);
  });
}

/** NetworkPolicies indexed by namespace, so each check reads only its own namespace's policies. */
export class NetworkPolicyIndex {
  private readonly byNamespace: Map<string, KubeObject[]>;
  private readonly isolatingCache = new Map<string, KubeObject[]>();
  /** Peer × workload verdicts: each peer object is asked about the same few workloads thousands of times. */
  private readonly peerCache = new WeakMap<object, Map<string, boolean>>();

  constructor(objects: readonly KubeObject[]) {
    this.byNamespace = byNamespace(objects, 'NetworkPolicy');
  }

  /** The policies isolating `workload` in `direction` (sorted by name). */
  isolating(workload: Workload, direction: Direction): KubeObject[] {
    if (!workload.namespace) return [];
    const key = `${direction} ${workload.id}`;
    let found = this.isolatingCache.get(key);
    if (!found) {
      found = (this.byNamespace.get(workload.namespace) ?? []).filter(
        (p) => policyTypesOf(p).includes(direction) && selects(p.spec?.podSelector ?? {}, workload.podLabels),
      );
      this.isolatingCache.set(key, found);
    }
    return found;
  }

  all(): KubeObject[] {
    return [...this.byNamespace.values()].flat();
  }

  /**
   * Egress at the source: not isolated, or some selecting policy has a rule reaching the target.
   * `complete`: list every rule that opens it, else stop at the first.
   */
  egress(flow: Flow, complete = true): Verdict {
    return this.check(flow, 'Egress', complete);
  }

  /** Ingress at the destination: not isolated, or some selecting policy has a rule admitting the source. */
  ingress(flow: Flow, complete = true): Verdict {
    if (!('workload' in flow.target)) return { allowed: true, openedBy: [], findings: [] };
    return this.check(flow, 'Ingress', complete);
  }

  private peerMatches(peer: Peer, namespace: string, workload: Workload): boolean {
    let byWorkload = this.peerCache.get(peer);
    if (!byWorkload) this.peerCache.set(peer, (byWorkload = new Map()));
    let result = byWorkload.get(workload.id);
    if (result === undefined) byWorkload.set(workload.id, (result = peerMatchesWorkload(peer, namespace, workload)));
    return result;
  }

  private check(flow: Flow, direction: Direction, complete: boolean): Verdict {
    const subject = direction === 'Egress' ? flow.source : (flow.target as { workload: Workload }).workload;
    const policies = this.isolating(subject, direction);
    if (policies.length === 0) return { allowed: true, openedBy: [`${direction.toLowerCase()} of ${subject.id || subject.name} not isolated by any NetworkPolicy`], findings: [] };
    const field = direction === 'Egress' ? 'egress' : 'ingress';
    const matches = (peer: Peer, ns: string) =>
      direction === 'Ingress' ? this.peerMatches(peer, ns, flow.source) : 'workload' in flow.target ? this.peerMatches(peer, ns, flow.target.workload) : peerMatchesTarget(peer, ns, flow.target);
    const openedBy: string[] = [];
    for (const p of policies) {
      const ns = p.metadata?.namespace ?? 'default';
      const rules = (p.spec?.[field] ?? []) as KubeObject[];
      for (let i = 0; i < rules.length && (complete || openedBy.length === 0); i++) {
        const peers: Peer[] | undefined = direction === 'Egress' ? rules[i].to : rules[i].from;
        const peerOk = !peers || peers.length === 0 || peers.some((peer) => matches(peer, ns));
        if (peerOk && portsMatch(rules[i].ports, flow)) openedBy.push(`${policyName(p)} spec.${field}[${i}]`);
      }
    }
    if (openedBy.length > 0) return { allowed: true, openedBy, findings: [] };
    // The fix belongs in the policy written for this workload (a non-empty podSelector), else the first one.
    const owner = policies.find((p) => Object.keys(p.spec?.podSelector?.matchLabels ?? {}).length > 0 || (p.spec?.podSelector?.matchExpressions ?? []).length > 0) ?? policies[0];
    const finding: Finding = {
      layer: direction === 'Egress' ? 'NetworkPolicy(egress)' : 'NetworkPolicy(ingress)',
      policy: policyName(owner),
      message: `${describeFlow(flow)}: ${field} of ${subject.id} is isolated by ${policies.map(policyName).join(', ')} and no ${field} rule ${direction === 'Egress' ? 'reaches the destination' : 'admits the source'} on that port`,
      fix:
        direction === 'Egress'
          ? `add to ${policyName(owner)} an egress rule to ${'workload' in flow.target ? `the pods of ${flow.target.workload.id}` : `ipBlock ${flow.target.external.cidrs.join(', ') || '(the host has no known cidrs)'}`} on ${flow.protocol} ${flow.port}`
          : `add to ${policyName(owner)} an ingress rule from ${flow.source.namespace ? `the pods of ${flow.source.id}` : `ipBlock ${(flow.source.addresses ?? []).join(', ')}`} on ${flow.protocol} ${flow.port}`,
    };
    return { allowed: false, openedBy: [], findings: [finding] };
  }
}
