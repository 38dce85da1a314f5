import { parseDurationMs } from './duration';
import type { CallPolicy, ServiceResilience } from './model';
import type { CallEntry, CatalogDocument, EnvironmentName, HttpMethod, ResilienceSettingsEntry, ServiceEntry } from './schema';

/**
 * What every call and every service gets when no level of the catalog says otherwise.
 * - retries: Istio's own mesh default (2 attempts on connect-failure, refused-stream, unavailable,
 *   cancelled and 503, `meshConfig.defaultHttpRetryPolicy`), written out so the output says it, with
 *   a per-try timeout so that the three tries fit inside the 10 s call timeout;
 * - outlier detection: Envoy's consecutive-5xx default (5) and interval (10 s), a 30 s base ejection
 *   and at most half of a service's pods ejected, so ejection never empties a service;
 * - connection pool: bounds that queue rather than fail under normal load and shed an overload.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#OutlierDetection
 */
export const RESILIENCE_DEFAULTS = {
  calls: { timeout: '10s', retries: { attempts: 2, perTryTimeout: '3s', retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', '503'] } },
  connectionPool: { maxConnections: 100, http1MaxPendingRequests: 64, http2MaxRequests: 1000 },
  outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
} as const satisfies ResilienceSettingsEntry;

/** Methods that change state each time they are sent (RFC 9110 9.2.2): never retried unless an edge says so. */
export const NON_IDEMPOTENT_METHODS: readonly HttpMethod[] = ['POST', 'PATCH'];

/**
 * The longest wait between two tries: Envoy backs off from a 25 ms base interval, jittered and
 * capped at ten times the base (the router filter's default `max_interval`), and Istio sets no other
 * unless a VirtualService names `retries.backoff`.
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-max-retries
 */
export const RETRY_BACKOFF_MAX_MS = 250;

type Settings = {
  calls: { timeout: string; retries: { attempts: number; perTryTimeout: string; retryOn: readonly string[] } };
  connectionPool: { maxConnections: number; http1MaxPendingRequests: number; http2MaxRequests: number };
  outlierDetection: { consecutive5xxErrors: number; interval: string; baseEjectionTime: string; maxEjectionPercent: number };
};

/** `b` over `a`, field by field. */
function merge(a: Settings, b: ResilienceSettingsEntry | undefined): Settings {
  if (!b) return a;
  return {
    calls: { timeout: b.calls?.timeout ?? a.calls.timeout, retries: { ...a.calls.retries, ...b.calls?.retries } },
    connectionPool: { ...a.connectionPool, ...b.connectionPool },
    outlierDetection: { ...a.outlierDetection, ...b.outlierDetection },
  };
}

/**
 * The settings of calls to `service` and of its pool and ejection, in one environment. From the
 * least to the most specific: the code's defaults, `defaults.resilience`, the environment's
 * `resilience`, `defaults.resilience.layers.<layer>`, the environment's `layers.<layer>`, the
 * service's own `resilience`. A layer's setting beats an environment-wide one (prod's larger pool
 * does not undo the agents' smaller one); the environment's own layer setting beats both.
 */
export function effectiveResilience(doc: CatalogDocument, environment: EnvironmentName, service: ServiceEntry): Settings {
  const defaults = doc.defaults.resilience;
  const overlay = doc.environments[environment].resilience;
  return [defaults, overlay, defaults?.layers?.[service.layer], overlay?.layers?.[service.layer], service.resilience].reduce<Settings>(
    merge,
    RESILIENCE_DEFAULTS as unknown as Settings,
  );
}

/** The policy of one call edge: the callee's effective `calls` settings, the edge's own fields over them. */
export function callPolicy(doc: CatalogDocument, environment: EnvironmentName, callee: ServiceEntry, call: CallEntry): CallPolicy {
  const base = effectiveResilience(doc, environment, callee).calls;
  const retries = { ...base.retries, ...call.retries };
  return {
    timeoutMs: parseDurationMs(call.timeout ?? base.timeout)!,
    retries: { attempts: retries.attempts, perTryTimeoutMs: parseDurationMs(retries.perTryTimeout)!, retryOn: [...retries.retryOn] },
    idempotent: call.idempotent ?? false,
  };
}

/** The connection pool and outlier detection of one service in one environment. */
export function serviceResilience(doc: CatalogDocument, environment: EnvironmentName, service: ServiceEntry): ServiceResilience {
  const { connectionPool, outlierDetection } = effectiveResilience(doc, environment, service);
  return {
    connectionPool: { ...connectionPool },
    outlierDetection: {
      consecutive5xxErrors: outlierDetection.consecutive5xxErrors,
      intervalMs: parseDurationMs(outlierDetection.interval)!,
      baseEjectionTimeMs: parseDurationMs(outlierDetection.baseEjectionTime)!,
      maxEjectionPercent: outlierDetection.maxEjectionPercent,
    },
  };
}

/** The methods of an edge its retries apply to: the idempotent ones, or all of them when the edge is `idempotent`. */
export function retriedMethods(methods: readonly HttpMethod[], policy: CallPolicy): HttpMethod[] {
  if (policy.retries.attempts === 0) return [];
  return methods.filter((m) => policy.idempotent || !NON_IDEMPOTENT_METHODS.includes(m));
}

/** How long one try of a retried request may take and how many tries there are, as the budget reads it. */
export function retriedWorstCaseMs(policy: CallPolicy): number {
  const { attempts, perTryTimeoutMs } = policy.retries;
  return (attempts + 1) * perTryTimeoutMs + attempts * RETRY_BACKOFF_MAX_MS;
}

/**
 * The longest a caller can wait on this edge: for retried methods every try at its per-try timeout
 * plus the longest backoffs, for the others the call timeout; Envoy's route timeout caps both.
 */
export function worstCaseMs(methods: readonly HttpMethod[], policy: CallPolicy): number {
  const retried = retriedMethods(methods, policy);
  const once = retried.length < methods.length ? policy.timeoutMs : 0;
  const withRetries = retried.length > 0 ? Math.min(retriedWorstCaseMs(policy), policy.timeoutMs) : 0;
  return Math.max(once, withRetries);
}
