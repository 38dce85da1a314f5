import { selectsIstio } from './selectors';
import { describeFlow, type Flow, type Verdict } from './target';
import { policyName, type KubeObject, type Workload } from './types';
import { byNamespace } from './by-namespace';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** Mode resolution: the policy and the mode that decide, for the findings. */
export interface MtlsDecision {
  readonly mode: MtlsMode;
  readonly policy?: string;
}

/**
 * PeerAuthentication (security.istio.io/v1): the most specific policy wins — a workload-selector policy in
 * the workload's namespace, else the namespace-wide one, else the root namespace's; UNSET (or no mtls)
 * inherits from the next level; the default is PERMISSIVE. portLevelMtls needs a selector (the CRD's
 * validation "portLevelMtls requires selector", /work/shared/crds/istio-crds.yaml). Among several
 * policies on one level Istio takes the oldest; this analyser, without timestamps, takes the first by name.
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export class PeerAuthenticationIndex {
  private readonly byNamespace: Map<string, KubeObject[]>;

  constructor(objects: readonly KubeObject[], private readonly rootNamespace: string) {
    this.byNamespace = byNamespace(objects, 'PeerAuthentication', true);
  }

  modeFor(workload: Workload, port: number): MtlsDecision {
    const own = this.byNamespace.get(workload.namespace) ?? [];
    const hasSelector = (p: KubeObject) => Object.keys(p.spec?.selector?.matchLabels ?? {}).length > 0;
    const levels: (KubeObject | undefined)[] = [
      own.find((p) => hasSelector(p) && selectsIstio(p.spec.selector, workload.podLabels)),
      own.find((p) => !hasSelector(p)),
      workload.namespace === this.rootNamespace ? undefined : (this.byNamespace.get(this.rootNamespace) ?? []).find((p) => !hasSelector(p)),
    ];
    for (const [level, policy] of levels.entries()) {
      if (!policy) continue;
      const portMode = level === 0 ? policy.spec?.portLevelMtls?.[String(port)]?.mode : undefined;
      const mode = portMode && portMode !== 'UNSET' ? portMode : policy.spec?.mtls?.mode;
      if (mode && mode !== 'UNSET') return { mode, policy: policyName(policy) };
    }
    return { mode: 'PERMISSIVE' };
  }

  /** STRICT refuses plain text: a source without a sidecar to a meshed destination on a captured port. */
  check(flow: Flow): Verdict & { readonly decision?: MtlsDecision } {
    if (!('workload' in flow.target)) return { allowed: true, openedBy: [], findings: [] };
    const destination = flow.target.workload;
    if (!destination.meshed || destination.excludedInboundPorts.includes(flow.port) || flow.protocol !== 'TCP') return { allowed: true, openedBy: [], findings: [] };
    const decision = this.modeFor(destination, flow.port);
    if (decision.mode !== 'STRICT' || flow.source.meshed) return { allowed: true, openedBy: [], findings: [], decision };
    return {
      allowed: false,
      openedBy: [],
      decision,
      findings: [
        {
          layer: 'PeerAuthentication',
          ...(decision.policy ? { policy: decision.policy } : {}),
          message: `${describeFlow(flow)}: ${flow.source.id} has no sidecar, so it speaks plain text, and ${decision.policy} requires mTLS (STRICT) on ${destination.id} port ${flow.port}`,
          fix: `inject a sidecar into ${flow.source.id}, or exclude port ${flow.port} from ${destination.id}'s sidecar (traffic.sidecar.istio.io/excludeInboundPorts), or set portLevelMtls ${flow.port}: PERMISSIVE in a PeerAuthentication selecting ${destination.id}`,
        },
      ],
    };
  }
}
