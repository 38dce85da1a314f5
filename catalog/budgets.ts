import { parseDuration } from './duration';
import type { CallPolicy } from './model';
import { callPolicy, NON_IDEMPOTENT_METHODS, RETRY_BACKOFF_MAX_MS, retriedMethods, retriedWorstCaseMs, worstCaseMs } from './resilience';
import type { Finding, Rule } from './rules';
import { ENVIRONMENTS, type CallEntry, type CatalogDocument, type EnvironmentName, type ServiceEntry } from './schema';
import type { DocPath } from './source';

/** Kong's upstream timeout for a route that sets none (its own default, written into every route). */
export const DEFAULT_ROUTE_TIMEOUT = '60s';

/** One call of the catalog, with where it is written and its policy in one environment. */
interface Hop {
  readonly caller: ServiceEntry;
  readonly callee: ServiceEntry;
  readonly call: CallEntry;
  readonly path: DocPath;
  readonly policy: CallPolicy;
}

/**
 * The resilience budgets, checked in every environment (README "Resilience"):
 * - `retries-within-timeout`: a call's tries and backoffs fit inside its own timeout, or Envoy cuts
 *   the retries short;
 * - `chain-within-route-timeout`: along every chain from a public route, each hop's worst case fits
 *   inside the Kong route timeout, which bounds the whole chain;
 * - `hop-within-caller-timeout`: along those chains, each hop's worst case fits inside the timeout
 *   its caller was called with;
 * - `no-unsafe-retries`: POST and PATCH are retried only on an edge that declares `idempotent: true`.
 */
export const budgetRules: readonly Rule[] = [
  {
    id: 'no-unsafe-retries',
    check: (doc) =>
      doc.services.flatMap((s, i) =>
        (s.calls ?? []).flatMap((call, j) => {
          const unsafe = call.methods.filter((m) => NON_IDEMPOTENT_METHODS.includes(m));
          if (!call.retries?.attempts || call.idempotent || unsafe.length === 0) return [];
          return [{
            path: ['services', i, 'calls', j, 'retries', 'attempts'],
            message: `${s.name} → ${call.service}: ${call.retries.attempts} ${call.retries.attempts === 1 ? 'retry' : 'retries'} would resend ${unsafe.join(' and ')}, which is not idempotent; set idempotent: true on this call if ${call.service} deduplicates them (an idempotency key), or remove the retries`,
          }];
        }),
      ),
  },
  {
    id: 'retries-within-timeout',
    check: (doc) =>
      perEnvironment((env) =>
        hops(doc, env).flatMap(({ caller, callee, call, path, policy }) => {
          if (retriedMethods(call.methods, policy).length === 0) return [];
          const worst = retriedWorstCaseMs(policy);
          if (worst <= policy.timeoutMs) return [];
          return [{ path, message: `${caller.name} → ${callee.name}: ${tries(policy)} = ${seconds(worst)} do not fit in its ${seconds(policy.timeoutMs)} timeout; Envoy would cut the last tries, lower attempts or perTryTimeout, or raise timeout` }];
        }),
      ),
  },
  {
    id: 'chain-budgets',
    check: (doc) => perEnvironment((env) => chainFindings(doc, env)),
  },
];

/**
 * Every chain from a public route (Kong → routed service → ...), walked breadth-first. A hop is
 * checked against the Kong timeout first (it bounds the chain), then against the timeout of the
 * call that reached its caller; a hop reached the same way twice is reported once, naming the
 * first chain found.
 */
function chainFindings(doc: CatalogDocument, env: EnvironmentName): Finding[] {
  const all = hops(doc, env);
  const gateway = doc.services.find((s) => s.implementation === 'kong');
  if (!gateway) return [];
  const findings = new Map<string, Finding>();
  // a hop's findings depend only on the hop, the call that reached its caller and the route
  // timeout, so each such triple is visited once, breadth first: polynomial in the edges even on
  // a catalog with exponentially many (or cyclic) chains, and each finding names a shortest chain.
  const visited = new Set<string>();
  const queue: { chain: readonly Hop[]; routeMs: number }[] = all
    .filter((h) => h.caller === gateway && h.callee.route)
    .map((first) => ({ chain: [first], routeMs: parseDuration(first.callee.route!.timeout ?? DEFAULT_ROUTE_TIMEOUT)! * 1000 }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { chain, routeMs } = next;
    const hop = chain[chain.length - 1];
    const previous = chain.length > 1 ? chain[chain.length - 2] : undefined;
    const key = `${previous ? pathKey(previous.path) : 'route'}|${pathKey(hop.path)}`;
    if (visited.has(`${key}|${routeMs}`)) continue;
    visited.add(`${key}|${routeMs}`);
    const worst = worstCaseMs(hop.call.methods, hop.policy);
    const names = [chain[0].caller.name, ...chain.map((h) => h.callee.name)].join(' → ');
    if (worst > routeMs && !findings.has(key)) {
      findings.set(key, {
        path: hop.path,
        message: `chain ${names}: hop ${hop.caller.name} → ${hop.callee.name} can take ${describe(hop)}, more than the ${seconds(routeMs)} Kong route timeout of ${chain[0].callee.name}, which bounds the whole chain; lower this call's timeout or retries, or raise route.timeout`,
      });
    } else if (previous && worst > previous.policy.timeoutMs && !findings.has(key)) {
      findings.set(key, {
        path: hop.path,
        message: `chain ${names}: hop ${hop.caller.name} → ${hop.callee.name} can take ${describe(hop)}, more than the ${seconds(previous.policy.timeoutMs)} timeout ${hop.caller.name} is called with; lower this call's timeout or retries, or raise the timeout of ${previous.caller.name} → ${hop.caller.name}`,
      });
    }
    for (const after of all.filter((h) => h.caller === hop.callee)) queue.push({ chain: [...chain, after], routeMs });
  }
  return [...findings.values()];
}

function hops(doc: CatalogDocument, env: EnvironmentName): Hop[] {
  const byName = new Map(doc.services.map((s) => [s.name, s]));
  return doc.services.flatMap((caller, i) =>
    (caller.calls ?? []).flatMap((call, j) => {
      const callee = byName.get(call.service);
      return callee ? [{ caller, callee, call, path: ['services', i, 'calls', j] as DocPath, policy: callPolicy(doc, env, callee, call) }] : [];
    }),
  );
}

/**
 * The findings of every environment, one per place and message: a problem in all three is reported
 * once, prefixed with the environments it occurs in.
 */
function perEnvironment(check: (env: EnvironmentName) => Finding[]): Finding[] {
  const grouped = new Map<string, { finding: Finding; envs: EnvironmentName[] }>();
  for (const env of ENVIRONMENTS) {
    for (const finding of check(env)) {
      const key = `${pathKey(finding.path)}\u0000${finding.message}`;
      const entry = grouped.get(key) ?? { finding, envs: [] };
      entry.envs.push(env);
      grouped.set(key, entry);
    }
  }
  return [...grouped.values()].map(({ finding, envs }) => ({ path: finding.path, message: `${envs.join(', ')}: ${finding.message}` }));
}

/** `20s (its timeout)`, `10s (its timeout; POST not retried)` or `3 tries × 3s + 2 backoffs × 0.25s = 9.5s`: the hop's worst case. */
function describe(hop: Hop): string {
  const worst = worstCaseMs(hop.call.methods, hop.policy);
  if (worst !== hop.policy.timeoutMs) return `${tries(hop.policy)} = ${seconds(worst)}`;
  const retried = retriedMethods(hop.call.methods, hop.policy);
  const once = hop.call.methods.filter((m) => !retried.includes(m));
  return `${seconds(worst)} (its timeout${retried.length > 0 && once.length > 0 ? `; ${once.join(', ')} not retried` : ''})`;
}

function tries(policy: CallPolicy): string {
  const { attempts, perTryTimeoutMs } = policy.retries;
  return `${attempts + 1} tries × ${seconds(perTryTimeoutMs)} + ${attempts} backoff${attempts === 1 ? '' : 's'} × ${seconds(RETRY_BACKOFF_MAX_MS)}`;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

function pathKey(path: DocPath): string {
  return path.join('.');
}
