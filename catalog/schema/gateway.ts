import { z } from 'zod';
import { dnsLabel, duration, httpMethod, port, secretKeyRef } from './fields';
import { externalImage } from './workload';

/** Kong's rate-limiting counter stores that work in DB-less mode (`cluster` needs a database). */
export const RATE_LIMIT_POLICIES = ['local', 'redis'] as const;
const rateLimitPolicy = z.enum(RATE_LIMIT_POLICIES);

/**
 * The API gateway (Kong 3.9, DB-less), which runs the `implementation: kong` service. Every field
 * has a default (catalog/resolve/gateway.ts), so a catalog without routes needs none of it.
 */
export const kong = z.strictObject({
  /** Kong's image; 3.9 is the last open-source line (3.10+ images are Enterprise-only). */
  image: externalImage.optional(),
  /** Ports the public LoadBalancer Service exposes (container ports are Kong's 8000/8443). */
  ports: z.strictObject({ http: port.optional(), https: port.optional() }).optional(),
  /** Global CORS settings; the origins are per environment (`environments.<env>.gateway.corsOrigins`). */
  cors: z
    .strictObject({
      methods: z.array(httpMethod).min(1).optional(),
      headers: z.array(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')).optional(),
      exposedHeaders: z.array(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')).optional(),
      credentials: z.boolean().optional(),
      maxAge: duration.optional(),
    })
    .optional(),
  /** JWT consumers: who may call `jwt` routes. Credentials are Secret references, never values. */
  consumers: z
    .array(
      z.strictObject({
        username: dnsLabel,
        jwt: z.strictObject({
          /** The token's `iss` claim that selects this credential (the plugin's key_claim_name). */
          key: z.string().regex(/^[A-Za-z0-9._:/-]+$/, 'must be a token issuer such as "auth-service"'),
          algorithm: z.enum(['HS256', 'HS384', 'HS512']).optional(),
          /** The HMAC secret the issuer signs with. */
          secret: secretKeyRef,
        }),
      }),
    )
    .optional(),
  /** The small Redis that holds `redis`-policy rate-limit counters for every Kong replica. */
  rateLimitRedis: z.strictObject({ image: externalImage.optional(), passwordSecret: secretKeyRef.optional() }).optional(),
});

/**
 * TLS for the environment's public host (`hostnames.api`), served by Kong: a cert-manager
 * Certificate from the named issuer, or an existing `kubernetes.io/tls` Secret. Exactly one.
 */
export const publicTls = z.strictObject({
  /** cert-manager issues the certificate; the issuer must exist in the cluster (README "TLS"). */
  issuer: z.strictObject({ kind: z.enum(['ClusterIssuer', 'Issuer']), name: dnsLabel }).optional(),
  /** An existing TLS Secret (keys `tls.crt`, `tls.key`) in the apps namespace. */
  secret: dnsLabel.optional(),
  /** `Strict-Transport-Security: max-age`, e.g. `8760h`; required in prod. */
  hstsMaxAge: duration.optional(),
});

/** Per-environment gateway settings. */
export const gatewayOverlay = z.strictObject({
  /** Browser origins allowed by CORS, each `scheme://host[:port]`; never `*`. */
  corsOrigins: z.array(z.string()).optional(),
  /** @default "redis" */
  rateLimitPolicy: rateLimitPolicy.optional(),
});

/** A Kong rate-limiting count: a whole number of requests (Kong: `type = "number", gt = 0`). */
const rateLimit = z.number().int('must be a whole number of requests such as 100').min(1, 'must be at least 1 request; remove the period to leave it unlimited');

export const route = z.strictObject({
  /** Public path prefix on the API host, e.g. `/api/v1/auth`. */
  path: z.string().regex(/^\/[A-Za-z0-9._~\-/]*$/, 'must be a path prefix starting with "/", without "*"'),
  methods: z.array(httpMethod).min(1, 'must list at least one method'),
  plugins: z
    .strictObject({
      'rate-limiting': z
        .strictObject({
          minute: rateLimit.optional(),
          hour: rateLimit.optional(),
          /**
           * Where Kong keeps the counters: `redis` (shared by every Kong replica, in the gateway's
           * own Redis) or `local` (per replica: the effective limit is the limit times the replicas).
           * @default - the environment's `gateway.rateLimitPolicy`
           */
          policy: rateLimitPolicy.optional(),
        })
        .optional(),
      jwt: z.strictObject({}).optional(),
      'response-transformer': z.strictObject({ removeJsonFields: z.array(z.string()).min(1) }).optional(),
    })
    .optional(),
  /** Upstream timeouts (connect, read, write). */
  timeout: duration.optional(),
});

export type KongEntry = z.infer<typeof kong>;
export type RateLimitPolicy = (typeof RATE_LIMIT_POLICIES)[number];
export type RouteEntry = z.infer<typeof route>;
