import { z } from 'zod';
import { LAYERS, percent, positiveInt } from './fields';

/**
 * A timeout as Istio writes one (`1h`/`1m`/`1s`/`1ms`, VirtualService `timeout`, `perTryTimeout`);
 * milliseconds allowed, because retry budgets are often below a second.
 */
const preciseDuration = z.string().regex(/^\d+(ms|s|m|h)$/, 'must be a duration with a unit such as "500ms", "5s" or "1m"');

/**
 * Envoy's retry conditions as Istio's `retryOn` accepts them (HTTP and gRPC policies), or an HTTP
 * status code, which Istio turns into `retriable-status-codes`.
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry
 */
export const RETRY_CONDITIONS = [
  '5xx', 'gateway-error', 'reset', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream', 'retriable-status-codes',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
] as const;
const retryCondition = z.union([z.enum(RETRY_CONDITIONS), z.string().regex(/^[45]\d\d$/, 'must be a retry condition such as "connect-failure" or an HTTP status code such as "503"')]);

/** How a caller's sidecar treats one call: VirtualService `timeout` and `retries`. */
export const callPolicy = {
  /** The whole call, retries included (VirtualService `http[].timeout`). */
  timeout: preciseDuration.optional(),
  retries: z
    .strictObject({
      /** Retries after the first try; 0 turns retries off (VirtualService `retries.attempts`). */
      attempts: z.number().int().min(0, 'must be 0 (no retries) or more').max(10, 'must be at most 10 retries').optional(),
      /** Each try's own timeout (`retries.perTryTimeout`). */
      perTryTimeout: preciseDuration.optional(),
      /** When to retry (`retries.retryOn`). */
      retryOn: z.array(retryCondition).min(1, 'must list at least one condition').optional(),
    })
    .optional(),
};

/** Envoy's circuit breakers for one destination (DestinationRule `trafficPolicy.connectionPool`). */
const connectionPool = z.strictObject({
  /** `tcp.maxConnections`: connections to the service per caller sidecar. */
  maxConnections: positiveInt.optional(),
  /** `http.http1MaxPendingRequests`: requests queued waiting for a connection. */
  http1MaxPendingRequests: positiveInt.optional(),
  /** `http.http2MaxRequests`: requests in flight to the service. */
  http2MaxRequests: positiveInt.optional(),
});

/** Passive health checking (DestinationRule `trafficPolicy.outlierDetection`). */
const outlierDetection = z.strictObject({
  /** 5xx answers in a row that eject a pod. */
  consecutive5xxErrors: positiveInt.optional(),
  /** How often ejections are analysed. */
  interval: preciseDuration.optional(),
  /** Minimum ejection time; grows with each ejection of the same pod. */
  baseEjectionTime: preciseDuration.optional(),
  /** At most this share of the service's pods is ejected at once. */
  maxEjectionPercent: percent.optional(),
});

/**
 * Resilience settings at one level: calls to the services of this level (`calls`), and the
 * circuit breakers and ejection of those services. Every field is optional; a more specific level
 * wins field by field (README "Resilience").
 */
export const resilienceSettings = z.strictObject({
  calls: z.strictObject(callPolicy).optional(),
  connectionPool: connectionPool.optional(),
  outlierDetection: outlierDetection.optional(),
});

/** `defaults.resilience` and `environments.<env>.resilience`: settings, with per-layer overrides of the callee's layer. */
export const resilienceDefaults = resilienceSettings.extend({
  layers: z.strictObject(Object.fromEntries(LAYERS.map((layer) => [layer, resilienceSettings.optional()])) as Record<(typeof LAYERS)[number], z.ZodOptional<typeof resilienceSettings>>).optional(),
});

export type ResilienceSettingsEntry = z.infer<typeof resilienceSettings>;
export type ResilienceDefaultsEntry = z.infer<typeof resilienceDefaults>;
