import type { HttpMethod } from '../schema';

/** How a caller's sidecar treats one call (VirtualService `timeout` and `retries`). */
export interface CallPolicy {
  /** The whole call, retries included. */
  readonly timeoutMs: number;
  readonly retries: {
    /** Retries after the first try; applied only to the methods `retriedMethods` returns. */
    readonly attempts: number;
    readonly perTryTimeoutMs: number;
    readonly retryOn: readonly string[];
  };
  /** The edge declares its POST/PATCH requests safe to retry. */
  readonly idempotent: boolean;
}

/** A service's circuit breakers (DestinationRule `trafficPolicy`). */
export interface ServiceResilience {
  readonly connectionPool: { readonly maxConnections: number; readonly http1MaxPendingRequests: number; readonly http2MaxRequests: number };
  readonly outlierDetection: {
    readonly consecutive5xxErrors: number;
    readonly intervalMs: number;
    readonly baseEjectionTimeMs: number;
    readonly maxEjectionPercent: number;
  };
}

/** One edge of the call graph: `caller` may call `callee` with these methods on these paths. */
export interface CallEdge {
  readonly caller: string;
  readonly callerPrincipal: string;
  readonly callee: string;
  readonly methods: readonly HttpMethod[];
  readonly paths: readonly string[];
  /** Timeout and retries of this call (edge, callee, layer, environment and default settings). */
  readonly policy: CallPolicy;
}
