import { AuthorizationPolicyIndex, type RequestSet } from './authorization-policy';
import { valueSet } from './istio-match';
import { MeshEgress } from './mesh-egress';
import { NetworkPolicyIndex } from './network-policy';
import { PeerAuthenticationIndex } from './peer-authentication';
import { ServiceIndex } from './services';
import type { Flow, Verdict } from './target';
import type { Finding, HttpRequests, KubeObject, Layer, MeshSettings } from './types';

const EVERY_REQUEST = { method: valueSet('*'), path: valueSet('*') };
const PASS: Verdict = { allowed: true, openedBy: [], findings: [] };

/** Every layer the analyser models, in the order a connection meets them. */
export const ALL_LAYERS: readonly Layer[] = ['NetworkPolicy(egress)', 'NetworkPolicy(ingress)', 'MeshRegistry', 'MeshEgress', 'PeerAuthentication', 'AuthorizationPolicy'];

/** Every layer of one environment, indexed once; `evaluate` runs a flow through all of them. */
export class Layers {
  readonly networkPolicies: NetworkPolicyIndex;
  readonly services: ServiceIndex;
  readonly peerAuthentication: PeerAuthenticationIndex;
  readonly authorization: AuthorizationPolicyIndex;
  readonly meshEgress: MeshEgress;
  private readonly enabled: ReadonlySet<Layer>;

  /** @param layers the layers to enforce; the others let everything through (to prove each layer least-privilege alone). */
  constructor(objects: readonly KubeObject[], mesh: MeshSettings, synthesized: ReadonlySet<string>, layers: readonly Layer[] = ALL_LAYERS) {
    this.enabled = new Set(layers);
    this.networkPolicies = new NetworkPolicyIndex(objects);
    this.services = new ServiceIndex(objects);
    this.peerAuthentication = new PeerAuthenticationIndex(objects, mesh.rootNamespace);
    this.authorization = new AuthorizationPolicyIndex(objects, mesh.rootNamespace);
    this.meshEgress = new MeshEgress(objects, mesh, this.services, synthesized);
  }

  /**
   * Run a flow through every layer, without stopping at the first refusal so one report lists every fix.
   * `http` given: each method × path must pass (`every`); absent: for a required connection every request
   * on the port must pass (`every`), for enumeration one is enough (`some`).
   */
  evaluate(flow: Flow, quantifier: 'every' | 'some', http?: HttpRequests, complete = quantifier === 'every'): Verdict {
    // Enumeration only needs the answer: stop at the first refusing layer (and, unless `complete`, at
    // the first opening rule: the full list is only needed to report an unexplained allowance).
    const stop = quantifier === 'some';
    const verdicts: Verdict[] = [];
    const steps: (() => Verdict)[] = [
      () => (this.enabled.has('NetworkPolicy(egress)') ? this.networkPolicies.egress(flow, complete) : PASS),
      () => (this.enabled.has('NetworkPolicy(ingress)') ? this.networkPolicies.ingress(flow, complete) : PASS),
      () => this.gate(this.meshEgress.check(flow)),
    ];
    for (const step of steps) {
      const verdict = step();
      verdicts.push(verdict);
      if (stop && !verdict.allowed) return verdict;
    }
    const mtls = this.peerAuthentication.check(flow);
    verdicts.push(this.gate(mtls));
    if (stop && !verdicts[verdicts.length - 1].allowed) return verdicts[verdicts.length - 1];
    // Without a peer certificate (no sidecar at the source, or DISABLE) the source has no principal.
    const plaintext = !flow.source.meshed || mtls.decision?.mode === 'DISABLE';
    const protocol = 'workload' in flow.target ? this.services.protocolOf(flow.target.workload, flow.port, flow.protocol) : 'TCP';
    const requestSets: RequestSet[] =
      protocol === 'HTTP' && http
        ? http.methods.flatMap((m) => http.paths.map((p) => ({ protocol, method: valueSet(m), path: valueSet(p) })))
        : [{ protocol, ...EVERY_REQUEST }];
    if (this.enabled.has('AuthorizationPolicy')) verdicts.push(...requestSets.map((r) => this.authorization.check(flow, r, quantifier, plaintext)));
    const findings: Finding[] = verdicts.flatMap((v) => v.findings);
    return {
      allowed: findings.length === 0,
      openedBy: [...new Set(verdicts.flatMap((v) => v.openedBy))].sort(),
      findings,
    };
  }

  isEnabled(layer: Layer): boolean {
    return this.enabled.has(layer);
  }

  /** A verdict with the findings of disabled layers dropped (and what they opened, which is moot then). */
  private gate(verdict: Verdict): Verdict {
    if (verdict.findings.length === 0) return verdict;
    const findings = verdict.findings.filter((f) => this.enabled.has(f.layer));
    return findings.length === verdict.findings.length ? verdict : { allowed: findings.length === 0, openedBy: verdict.openedBy, findings };
  }
}
