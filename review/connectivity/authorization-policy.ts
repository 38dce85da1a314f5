import { ipBlockCovers } from './cidr';
import { istioMatch, patternCovers, patternOverlaps, type ValueSet } from './istio-match';
import { selectsIstio } from './selectors';
import type { AppProtocol } from './services';
import { describeFlow, type Flow, type Verdict } from './target';
import { policyName, type Finding, type KubeObject, type Workload } from './types';
import { byNamespace } from './by-namespace';

/**
 * AuthorizationPolicy (security.istio.io/v1) for sidecars: CUSTOM (and AUDIT) ignored; any matching DENY
 * denies; if an ALLOW policy applies, a rule of one must match; an ALLOW policy without rules matches nothing.
 * HTTP-only fields never match TCP traffic: an ALLOW rule with one does not match, a DENY rule ignores it.
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 * @see https://istio.io/latest/docs/concepts/security/#authorization-policy-precedence
 */

/** The requests one evaluation stands for: TCP (no HTTP attributes) or a set of methods × paths. */
export interface RequestSet {
  readonly protocol: AppProtocol;
  readonly method: ValueSet;
  readonly path: ValueSet;
}

/** `every`: all requests of the set must pass (a required connection); `some`: one is enough (enumeration). */
export type Quantifier = 'every' | 'some';

const HTTP_OPERATION_FIELDS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
const HTTP_SOURCE_FIELDS = ['requestPrincipals', 'notRequestPrincipals'];

interface Identity {
  readonly principal?: string;
  readonly namespace?: string;
  readonly addresses: readonly string[];
}

/** A list field: absent passes; a present value must match one entry; an absent value matches none. */
function listMatches(patterns: readonly string[] | undefined, value: string | undefined): boolean {
  if (!patterns) return true;
  return value !== undefined && patterns.some((p) => istioMatch(p, value));
}

/** A not-list field: absent passes; a present value must match no entry; an absent value passes. */
function notListMatches(patterns: readonly string[] | undefined, value: string | undefined): boolean {
  if (!patterns) return true;
  return value === undefined || !patterns.some((p) => istioMatch(p, value));
}

function ipMatches(blocks: readonly string[] | undefined, addresses: readonly string[], negate: boolean): boolean {
  if (!blocks) return true;
  // Pod IPs are not known: a pod never falls inside an ipBlocks list, and always outside a notIpBlocks one.
  const inside = addresses.length > 0 && addresses.every((a) => blocks.some((b) => ipBlockCovers({ cidr: b }, a)));
  return negate ? !inside : inside;
}

function sourceMatches(source: KubeObject, who: Identity, requests: RequestSet, allow: boolean): boolean {
  if (requests.protocol === 'TCP' && allow && HTTP_SOURCE_FIELDS.some((f) => source[f] !== undefined)) return false;
  return (
    listMatches(source.principals, who.principal) &&
    notListMatches(source.notPrincipals, who.principal) &&
    listMatches(source.namespaces, who.namespace) &&
    notListMatches(source.notNamespaces, who.namespace) &&
    ipMatches(source.ipBlocks, who.addresses, false) &&
    ipMatches(source.notIpBlocks, who.addresses, true) &&
    ipMatches(source.remoteIpBlocks, who.addresses, false) &&
    ipMatches(source.notRemoteIpBlocks, who.addresses, true) &&
    // No request carries a JWT here: requestPrincipals never match, notRequestPrincipals always do.
    (source.requestPrincipals === undefined || (!allow && requests.protocol === 'TCP'))
  );
}

function valuesMatch(patterns: readonly string[] | undefined, notPatterns: readonly string[] | undefined, set: ValueSet, quantifier: Quantifier): boolean {
  const positive = !patterns || patterns.some((p) => (quantifier === 'every' ? patternCovers(p, set) : patternOverlaps(p, set)));
  // For `every`, no request of the set may hit a not-pattern; for `some`, the set must not be wholly inside one.
  const negative = !notPatterns || !notPatterns.some((p) => (quantifier === 'every' ? patternOverlaps(p, set) : patternCovers(p, set)));
  return positive && negative;
}

function operationMatches(operation: KubeObject, port: number, requests: RequestSet, allow: boolean, quantifier: Quantifier): boolean {
  const hasHttp = HTTP_OPERATION_FIELDS.some((f) => operation[f] !== undefined);
  if (requests.protocol === 'TCP' && hasHttp && allow) return false;
  // Ports are strings in the API; tolerate numbers as YAML may carry them.
  const listed = (ports: readonly (string | number)[] | undefined) => (ports ?? []).map(String).includes(String(port));
  const portOk = (!operation.ports || listed(operation.ports)) && !listed(operation.notPorts);
  if (!portOk || requests.protocol === 'TCP') return portOk;
  // Host headers are not modelled: a hosts list covers every request only when it holds `*`.
  const hostsOk = !operation.hosts || quantifier === 'some' || operation.hosts.includes('*');
  const notHostsOk = !operation.notHosts || quantifier === 'some';
  return hostsOk && notHostsOk && valuesMatch(operation.methods, operation.notMethods, requests.method, quantifier) && valuesMatch(operation.paths, operation.notPaths, requests.path, quantifier);
}

/** A rule matches: some `from` source and some `to` operation; `when` conditions are not modelled. */
function ruleMatches(rule: KubeObject, who: Identity, port: number, requests: RequestSet, allow: boolean, quantifier: Quantifier): { matches: boolean; when: boolean } {
  const from = (rule.from ?? []) as KubeObject[];
  const to = (rule.to ?? []) as KubeObject[];
  const fromOk = from.length === 0 || from.some((f) => sourceMatches(f.source ?? {}, who, requests, allow));
  const toOk = to.length === 0 || to.some((t) => operationMatches(t.operation ?? {}, port, requests, allow, quantifier));
  const when = (rule.when ?? []).length > 0;
  // An unprovable condition: an ALLOW with `when` cannot be relied on, a DENY with `when` may refuse.
  return { matches: fromOk && toOk && (!when || !allow), when };
}

/** AuthorizationPolicies indexed by namespace; the root namespace's apply mesh-wide. */
export class AuthorizationPolicyIndex {
  private readonly byNamespace: Map<string, KubeObject[]>;
  private readonly applyingCache = new Map<string, KubeObject[]>();

  constructor(objects: readonly KubeObject[], private readonly rootNamespace: string) {
    this.byNamespace = byNamespace(objects, 'AuthorizationPolicy', true);
  }

  all(): KubeObject[] {
    return [...this.byNamespace.values()].flat();
  }

  /** The policies a meshed workload's sidecar enforces (targetRef policies bind gateways/waypoints, not sidecars). */
  applying(workload: Workload): KubeObject[] {
    const cached = this.applyingCache.get(workload.id);
    if (cached) return cached;
    const scopes = workload.namespace === this.rootNamespace ? [workload.namespace] : [this.rootNamespace, workload.namespace];
    const found = scopes
      .flatMap((ns) => this.byNamespace.get(ns) ?? [])
      .filter((p) => !p.spec?.targetRef && !p.spec?.targetRefs && selectsIstio(p.spec?.selector, workload.podLabels));
    this.applyingCache.set(workload.id, found);
    return found;
  }

  /**
   * Decide one set of requests from `flow.source` to the flow's destination workload. `plaintext`: the
   * connection carries no peer certificate (no sidecar at the source, or mTLS DISABLE), so the source has
   * no principal and no namespace.
   */
  check(flow: Flow, requests: RequestSet, quantifier: Quantifier, plaintext: boolean): Verdict {
    if (!('workload' in flow.target)) return { allowed: true, openedBy: [], findings: [] };
    const destination = flow.target.workload;
    if (!destination.meshed || destination.excludedInboundPorts.includes(flow.port) || flow.protocol !== 'TCP') return { allowed: true, openedBy: [], findings: [] };
    const who = identityOf(flow, plaintext);
    const policies = this.applying(destination);
    const denyQuantifier: Quantifier = quantifier === 'every' ? 'some' : 'every';
    for (const policy of policies.filter((p) => p.spec?.action === 'DENY')) {
      const hit = ((policy.spec?.rules ?? []) as KubeObject[]).findIndex((r) => ruleMatches(r, who, flow.port, requests, false, denyQuantifier).matches);
      if (hit >= 0) {
        const when = (policy.spec.rules[hit].when ?? []).length > 0 ? ' (its `when` condition is not modelled and assumed to hold)' : '';
        return {
          allowed: false,
          openedBy: [],
          findings: [{ layer: 'AuthorizationPolicy', policy: policyName(policy), message: `${describeRequests(flow, requests)}: denied by ${policyName(policy)} spec.rules[${hit}]${when}`, fix: `narrow spec.rules[${hit}] of ${policyName(policy)} so it no longer matches ${flow.source.id}` }],
        };
      }
    }
    const allows = policies.filter((p) => (p.spec?.action ?? 'ALLOW') === 'ALLOW');
    if (allows.length === 0) return { allowed: true, openedBy: [`no ALLOW AuthorizationPolicy applies to ${destination.id}`], findings: [] };
    let whenSkipped = false;
    const openedBy = allows.flatMap((p) =>
      ((p.spec?.rules ?? []) as KubeObject[]).flatMap((r, i) => {
        const result = ruleMatches(r, who, flow.port, requests, true, quantifier);
        whenSkipped ||= result.when;
        return result.matches ? [`${policyName(p)} spec.rules[${i}]`] : [];
      }),
    );
    if (openedBy.length > 0) return { allowed: true, openedBy, findings: [] };
    const owner = allows.find((p) => p.metadata?.namespace === destination.namespace && Object.keys(p.spec?.selector?.matchLabels ?? {}).length > 0) ?? allows[0];
    const identity = who.principal ? `principal ${who.principal}` : 'a source without a mesh identity (plain text)';
    const finding: Finding = {
      layer: 'AuthorizationPolicy',
      policy: policyName(owner),
      message: `${describeRequests(flow, requests)}: no rule of the ALLOW policies ${allows.map(policyName).join(', ')} admits ${identity}${whenSkipped ? '; rules with `when` conditions are not modelled and were not relied on' : ''}`,
      fix: who.principal
        ? `add to ${policyName(owner)} a rule from principals [${who.principal}] to ports [${flow.port}]${requests.protocol === 'HTTP' ? ` with the methods and paths listed` : ' without HTTP-only fields (methods, paths, hosts never match TCP)'}`
        : `give ${flow.source.id} a sidecar, or exclude port ${flow.port} from ${destination.id}'s sidecar`,
    };
    return { allowed: false, openedBy: [], findings: [finding] };
  }
}

function identityOf(flow: Flow, plaintext: boolean): Identity {
  return {
    ...(plaintext || !flow.source.principal ? {} : { principal: flow.source.principal, namespace: flow.source.namespace }),
    addresses: flow.source.addresses ?? [],
  };
}

/** One method × path pattern an ALLOW rule admits, with the rule that admits it. */
export interface AdmittedRequest {
  readonly rule: string;
  readonly method: string;
  readonly path: string;
}

/**
 * The method × path patterns the ALLOW rules admit from `flow.source` on the flow's port (an absent
 * methods or paths list, or a not-list, admits `*`), for comparing with what the source needs. DENY
 * policies are not subtracted: a request set a DENY narrows still counts as admitted.
 */
export function admittedRequests(index: AuthorizationPolicyIndex, flow: Flow, plaintext: boolean): AdmittedRequest[] {
  if (!('workload' in flow.target)) return [];
  const destination = flow.target.workload;
  if (!destination.meshed || destination.excludedInboundPorts.includes(flow.port)) return [];
  const who = identityOf(flow, plaintext);
  const everything: RequestSet = { protocol: 'HTTP', method: { all: true }, path: { all: true } };
  return index
    .applying(destination)
    .filter((p) => (p.spec?.action ?? 'ALLOW') === 'ALLOW')
    .flatMap((p) =>
      ((p.spec?.rules ?? []) as KubeObject[]).flatMap((rule, i) => {
        if ((rule.when ?? []).length > 0) return [];
        const from = (rule.from ?? []) as KubeObject[];
        if (from.length > 0 && !from.some((f) => sourceMatches(f.source ?? {}, who, everything, true))) return [];
        const operations = ((rule.to ?? []) as KubeObject[]).map((t) => t.operation ?? {});
        return (operations.length > 0 ? operations : [{}])
          .filter((op) => operationMatches(op, flow.port, everything, true, 'some'))
          .flatMap((op) => {
            const methods: string[] = op.methods && !op.notMethods ? op.methods : ['*'];
            const paths: string[] = op.paths && !op.notPaths ? op.paths : ['*'];
            return methods.flatMap((method) => paths.map((path) => ({ rule: `${policyName(p)} spec.rules[${i}]`, method, path })));
          });
      }),
    );
}

function show(set: ValueSet): string {
  return 'all' in set ? '*' : 'exact' in set ? set.exact : `${set.prefix}*`;
}

function describeRequests(flow: Flow, requests: RequestSet): string {
  return requests.protocol === 'TCP' ? `${describeFlow(flow)} (TCP)` : `${describeFlow(flow)} ${show(requests.method)} ${show(requests.path)}`;
}
