import type { HttpMethod, RateLimitPolicy } from '../schema';

/** Kong's settings for one environment; its routes are the services' `route` fields. */
export interface GatewayModel {
  /** Full image reference, e.g. `docker.io/library/kong:3.9.1`. */
  readonly image: string;
  readonly version: string;
  /** Ports of the public LoadBalancer Service. */
  readonly servicePorts: { readonly http: number; readonly https: number };
  readonly cors: {
    /** Explicit origins of this environment; empty means no CORS plugin (no browser cross-origin access). */
    readonly origins: readonly string[];
    readonly methods: readonly HttpMethod[];
    readonly headers: readonly string[];
    readonly exposedHeaders: readonly string[];
    readonly credentials: boolean;
    readonly maxAgeSeconds: number;
  };
  /** Sorted by username. */
  readonly consumers: readonly GatewayConsumer[];
  /**
   * The certificate Kong serves for `hostnames.api`; absent only when the catalog has no route.
   * `certificate`: cert-manager writes `secretName` from `issuer`; `secret`: an existing TLS Secret.
   */
  readonly tls?: PublicTls;
  /** The environment's policy for routes that do not name one. */
  readonly defaultRateLimitPolicy: RateLimitPolicy;
  /** Whether some route keeps its counters in Redis (the rate-limit Redis then exists). */
  readonly usesRateLimitRedis: boolean;
  readonly rateLimitRedis: {
    readonly image: string;
    readonly version: string;
    readonly passwordSecret: { readonly name: string; readonly key: string };
  };
}

export type PublicTls =
  | { readonly source: 'certificate'; readonly secretName: string; readonly issuer: { readonly kind: 'ClusterIssuer' | 'Issuer'; readonly name: string }; readonly hstsMaxAgeSeconds?: number }
  | { readonly source: 'secret'; readonly secretName: string; readonly hstsMaxAgeSeconds?: number };

export interface GatewayConsumer {
  readonly username: string;
  readonly jwt: { readonly key: string; readonly algorithm: 'HS256' | 'HS384' | 'HS512'; readonly secret: { readonly name: string; readonly key: string } };
}
