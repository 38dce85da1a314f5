import { z } from 'zod';
import { imageTagProblem } from '../image-tag';
import { formatCpu, formatMemory, parseCpu, parseMemory } from '../quantity';

/**
 * The shape of `catalog/platform.yaml`. Types, the JSON Schema editors use (`platform.schema.json`,
 * written by `npm run schema`) and the loader's structural checks all come from this one definition.
 * Checks that span fields or entries (unknown callees, min > max, port clashes, ...) live in
 * `rules.ts`, because a schema cannot name the other entry involved.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 label: what Kubernetes accepts as a Service, ServiceAccount or Namespace name. */
export const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters (a DNS-1123 label)')
  .regex(DNS_LABEL, 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit');

const port = z.number().int().min(1).max(65535);
const positiveInt = z.number().int().min(1);
const percent = z.number().int().min(1, 'must be a percentage from 1 to 100').max(100, 'must be a percentage from 1 to 100');
/**
 * CPU as Kubernetes accepts it: cores as a number or string (`2`, `0.5`, `"1.5"`) or millicores
 * (`"250m"`); read into its canonical text (`2`, `500m`), which is what the output carries.
 */
const cpu = z
  .union([z.number().positive('must be a positive number of cores such as 0.5 or 2'), z.string().regex(/^\d+(\.\d{1,3})?m?$/, 'must be a CPU quantity such as "250m", "1" or 0.5')])
  .refine((v) => parseCpu(String(v)) !== undefined, 'must be a whole number of millicores (at most 3 decimals of a core) above zero, such as 0.25 or "250m"')
  .transform((v) => formatCpu(parseCpu(String(v))!));
/** Memory in binary units (`256Mi`, `2Gi`), canonical text in the output (`1024Mi` becomes `1Gi`). */
const memory = z
  .string()
  .regex(/^\d+(Ki|Mi|Gi|Ti)$/, 'must be a memory quantity in binary units such as "256Mi" or "2Gi"')
  .transform((v) => formatMemory(parseMemory(v)!));
const duration = z.string().regex(/^\d+(s|m|h)$/, 'must be a duration with a unit such as "5s", "2m" or "1h"');
/** A version or a digest, never a moving name (rule and examples: catalog/image-tag.ts). */
const imageTag = z.string().superRefine((tag, ctx) => {
  const problem = imageTagProblem(tag);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const hostname = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lowercase DNS name such as "api.suoke.life"');
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as "LOG_LEVEL"');
const configKey = z.string().regex(/^[A-Za-z0-9][-._A-Za-z0-9]*$/, 'must be a ConfigMap key: letters, digits, "-", "_" and "."');

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const httpMethod = z.enum(HTTP_METHODS);

/** An Istio-style path: exact, or a prefix ending in `*` (`/api/v1/diagnosis/*`). */
const pathPattern = z
  .string()
  .regex(/^\/[A-Za-z0-9._~\-/]*\*?$/, 'must start with "/" and may end with "*" (e.g. "/api/v1/diagnosis/*")');

export const image = z.strictObject({
  /** Repository under the platform registry, e.g. `xiaoai-service`. */
  name: z.string().regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, 'must be an image repository name such as "xiaoai-service"'),
  /** Pinned version; never `latest`. */
  tag: imageTag,
});

/** An image outside the platform registry (infrastructure: Kong, Redis, ...), pinned by tag. */
export const externalImage = z.strictObject({
  repository: z.string().regex(/^[a-z0-9]+([._/:-][a-z0-9]+)*$/, 'must be an image repository such as "docker.io/library/kong"'),
  tag: imageTag,
});

const resourceAmounts = z.strictObject({ cpu, memory });
export const resources = z.strictObject({ requests: resourceAmounts, limits: resourceAmounts });

const probe = z.strictObject({
  path: pathPattern,
  period: duration.optional(),
  timeout: duration.optional(),
  failureThreshold: positiveInt.optional(),
});
export const probes = z.strictObject({
  startup: probe.optional(),
  readiness: probe.optional(),
  liveness: probe.optional(),
});

export const autoscaling = z.strictObject({
  minReplicas: positiveInt.optional(),
  maxReplicas: positiveInt.optional(),
  cpuUtilization: percent.optional(),
  memoryUtilization: percent.optional(),
});

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
const callPolicy = {
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

const call = z.strictObject({
  /** The callee's `name`. */
  service: z.string(),
  methods: z.array(httpMethod).min(1, 'must list at least one method'),
  paths: z.array(pathPattern).min(1, 'must list at least one path (use "/*" for every path)'),
  ...callPolicy,
  /**
   * The callee handles POST and PATCH on this edge idempotently (an idempotency key, say), so they
   * may be retried like GET. Without it they are never retried.
   * @default false
   */
  idempotent: z.boolean().optional(),
});

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

const secretRef = z.strictObject({
  /** The environment variable the value is exposed as. */
  env: envName,
  /** Name of a Secret in the service's namespace; its value never appears in the catalog. */
  secret: dnsLabel,
  key: configKey,
});

/** Kong's rate-limiting counter stores that work in DB-less mode (`cluster` needs a database). */
export const RATE_LIMIT_POLICIES = ['local', 'redis'] as const;
const rateLimitPolicy = z.enum(RATE_LIMIT_POLICIES);

/** A Secret by reference: its name in the consuming namespace and the key in it, never a value. */
export const secretKeyRef = z.strictObject({ name: dnsLabel, key: configKey });

/**
 * The API gateway (Kong 3.9, DB-less), which runs the `implementation: kong` service. Every field
 * has a default (catalog/resolve.ts), so a catalog without routes needs none of it.
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

/** Shared infrastructure a service may depend on (`uses`). */
export const PLATFORM_DEPENDENCIES = ['redis', 'consul'] as const;
export type PlatformDependency = (typeof PLATFORM_DEPENDENCIES)[number];

export const LAYERS = ['core', 'agents', 'diagnosis', 'support'] as const;

/** `defaults.resilience` and `environments.<env>.resilience`: settings, with per-layer overrides of the callee's layer. */
export const resilienceDefaults = resilienceSettings.extend({
  layers: z.strictObject(Object.fromEntries(LAYERS.map((layer) => [layer, resilienceSettings.optional()])) as Record<(typeof LAYERS)[number], z.ZodOptional<typeof resilienceSettings>>).optional(),
});

/**
 * A service's objectives (PLATFORM.md "Targets"): the SLO alerts are generated from it.
 * Defaults: availability 99.9 %, p95 latency 200 ms.
 */
export const slo = z.strictObject({
  /** Percentage of requests that must succeed (not 5xx), strictly between 0 and 100, e.g. 99.9. */
  availability: z.number().gt(0, 'must be a percentage strictly between 0 and 100, such as 99.9').lt(100, 'must be a percentage strictly between 0 and 100, such as 99.9'),
  /** 95 % of requests must complete within this many milliseconds. */
  latencyP95Ms: z.number().int('must be a whole number of milliseconds such as 200').positive('must be a positive number of milliseconds such as 200'),
});

/** An IPv4 CIDR such as `10.20.0.0/16`. */
const cidr = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/, 'must be an IPv4 CIDR such as "10.20.0.0/16"');

const secretKeyName = z.string().regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key: letters, digits, "-", "_" and "."');

/** Where Jaeger keeps traces: in memory (tests only), Badger on a PVC, or an external Elasticsearch/OpenSearch. */
export const jaegerStorage = z.discriminatedUnion('backend', [
  z.strictObject({ backend: z.literal('memory'), maxTraces: positiveInt.optional() }),
  /** Badger on a PersistentVolumeClaim of `size`. */
  z.strictObject({ backend: z.literal('badger'), size: memory }),
  ...(['elasticsearch', 'opensearch'] as const).map((backend) =>
    z.strictObject({
      backend: z.literal(backend),
      /** The cluster's URL; credentials never appear here. */
      url: z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d+)?(\/[-a-zA-Z0-9._~/]*)?$/, 'must be an https URL such as "https://es.example.com:9200" (storage links use TLS)'),
      /** The Secret (in the observability namespace) holding the username and password. */
      credentials: z.strictObject({ secret: dnsLabel, usernameKey: secretKeyName, passwordKey: secretKeyName }),
      /** Address ranges of the cluster, for the egress NetworkPolicy; without it Jaeger may reach any address, on the URL's port only. */
      cidrs: z.array(cidr).min(1).optional(),
      /** A Secret (in the observability namespace) holding the CA certificate the cluster's certificate is verified against; without it, the image's system roots. */
      ca: z.strictObject({ secret: dnsLabel, key: secretKeyName }).optional(),
    }),
  ),
]);

const megabytes = z.number().positive('must be a positive number of megabytes such as 8');

/**
 * Loki's per-tenant ingestion limits (`limits_config`, pkg/validation/limits.go in Loki 3.5). Every
 * log line (container logs, Envoy access logs) goes to one tenant, so the tenant limit is the
 * platform's whole log throughput. README "Telemetry" shows how to size them.
 */
export const lokiLimits = z.strictObject({
  /** `ingestion_rate_mb`: sustained MB/s for the tenant (Loki's default 4). */
  ingestionRateMb: megabytes,
  /** `ingestion_burst_size_mb`: MB accepted at once above the rate (default 6); at least the rate. */
  ingestionBurstSizeMb: megabytes,
  /** `per_stream_rate_limit`: MB/s of one stream, e.g. one pod's container (default 3MB); at most the tenant rate. */
  perStreamRateLimitMb: megabytes,
  /** `per_stream_rate_limit_burst`: MB one stream may burst (default 15MB); at least its rate. */
  perStreamRateLimitBurstMb: megabytes,
});

/** Telemetry infrastructure: pinned images, retention and storage (README "Telemetry"). */
export const telemetry = z.strictObject({
  images: z.strictObject({ collector: externalImage, jaeger: externalImage, loki: externalImage }),
  /** How long traces and logs are kept; logs in whole days (Loki's index period is 24h). */
  retention: z.strictObject({ traces: duration, logs: duration }),
  /** Size of Loki's PVC. */
  lokiStorage: memory,
  jaegerStorage,
  /** @default - Loki's own defaults: 4, 6, 3 and 15 MB */
  lokiLimits: lokiLimits.optional(),
});

/** Per-environment telemetry overrides. */
export const environmentTelemetry = z.strictObject({
  jaegerStorage: jaegerStorage.optional(),
  lokiStorage: memory.optional(),
  /** Retention of this environment, field by field over `platform.telemetry.retention`. */
  retention: z.strictObject({ traces: duration.optional(), logs: duration.optional() }).optional(),
  /** Loki's ingestion limits in this environment, field by field over `platform.telemetry.lokiLimits`. */
  lokiLimits: lokiLimits.partial().optional(),
});

/**
 * Bounds that fit the cluster: the largest container request or limit one node can give, and the
 * replica ceiling. Absent fields keep catalog/limits.ts `DEFAULT_LIMITS` (8 CPU, 32Gi, 50 replicas).
 */
export const limits = z.strictObject({
  /** @default { cpu: 8, memory: 32Gi } */
  pod: z.strictObject({ cpu: cpu.optional(), memory: memory.optional() }).optional(),
  /** @default 50 */
  maxReplicas: positiveInt.optional(),
});

/**
 * Values the secret scan (catalog/secrets/) reports that a reviewer decided are not secrets. Each
 * entry names one value by its path, services by name (`services.xiaoai-service.env.SENTRY_DSN`),
 * and says why; an entry that matches nothing is an error, so the list never outlives its reason.
 */
export const secretScan = z.strictObject({
  allow: z.array(
    z.strictObject({
      path: z.string().min(1),
      reason: z.string().min(10, 'must say why this value is not a secret (at least 10 characters)'),
    }),
  ),
});

export const service = z.strictObject({
  name: dnsLabel,
  layer: z.enum(LAYERS),
  description: z.string().min(1),
  /**
   * Who builds the workload: the generic service workload (default) or a platform component that
   * implements the service (`kong` for api-gateway).
   */
  implementation: z.enum(['kong']).optional(),
  image: image.optional(),
  ports: z.strictObject({ http: port.optional(), grpc: port.optional() }),
  resources: resources.optional(),
  probes: probes.optional(),
  autoscaling: autoscaling.optional(),
  /** Plain, non-secret environment variables. */
  env: z.record(envName, z.string()).optional(),
  /** Configuration entries: ConfigMap files and Consul KV keys `services/<name>/<key>`, JSON values. */
  config: z.record(configKey, z.json()).optional(),
  secrets: z.array(secretRef).optional(),
  calls: z.array(call).optional(),
  /** Platform data services this service connects to; opens the network path and hands it the endpoint. */
  uses: z.array(z.enum(PLATFORM_DEPENDENCIES)).optional(),
  route: route.optional(),
  /** Service level objectives; default availability 99.9, latencyP95Ms 200 (PLATFORM.md targets). */
  slo: slo.optional(),
  /** Calls to this service (timeout, retries) and its circuit breakers; over the layer's defaults. */
  resilience: resilienceSettings.optional(),
});

/** The Istio mesh: control plane, ingress gateway and mesh-wide settings (`istioctl` and Helm input). */
export const istio = z.strictObject({
  /** The Istio release installed: istioctl, Helm chart and image version, e.g. `1.30.1`. */
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be an Istio release such as "1.30.1"'),
  /** `values.global.meshID`. */
  meshId: dnsLabel.optional(),
  /** `values.global.network`. */
  network: dnsLabel.optional(),
  pilot: z
    .strictObject({
      resources: resources.optional(),
      /** Environment variables of istiod (discovery), e.g. `EXTERNAL_ISTIOD: "false"`. */
      env: z.record(envName, z.string()).optional(),
    })
    .optional(),
  ingressGateway: z
    .strictObject({
      /**
       * Install the Istio ingress gateway (a second public entry). Kong is the edge (README "One
       * public entry"); the loader refuses `true` while the catalog cannot give it routes.
       * @default false
       */
      enabled: z.boolean().optional(),
      serviceType: z.enum(['LoadBalancer', 'ClusterIP']).optional(),
      /** Service ports; names carry Istio's protocol prefix (`http2`, `https`). */
      ports: z.array(z.strictObject({ name: dnsLabel, port, targetPort: port })).min(1).optional(),
    })
    .optional(),
});

const storage = z.strictObject({
  /** PersistentVolumeClaim size per pod. */
  size: memory,
  /** StorageClass; absent means the cluster's default class. */
  storageClass: dnsLabel.optional(),
});

/** The Redis-compatible cluster (Valkey or Redis, pinned), settings an environment may override. */
const redisSizing = {
  /** Cluster members (pods); masters = nodes / (1 + replicasPerMaster), at least 3. */
  nodes: positiveInt.optional(),
  /** Replicas of each master (`--cluster-replicas`). */
  replicasPerMaster: z.number().int().min(0).max(5).optional(),
  /** `maxmemory`, as a binary quantity (`2Gi` becomes `2gb`, which Redis reads as 2 * 1024^3 bytes). */
  maxmemory: memory.optional(),
  storage: storage.optional(),
  resources: resources.optional(),
};
export const redisOverlay = z.strictObject(redisSizing);
export const redis = z.strictObject({
  ...redisSizing,
  image: externalImage,
  nodes: positiveInt,
  replicasPerMaster: z.number().int().min(0).max(5),
  maxmemory: memory,
  maxmemoryPolicy: z.enum(['noeviction', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']),
  storage,
  resources,
  /** Secret holding the password (`requirepass` and `masterauth`); clients read a Secret of the same name in their namespace. */
  passwordSecret: secretKeyRef,
});

const consulSizing = {
  /** Server agents; `bootstrap_expect` equals it. 1, 3 or 5. */
  servers: positiveInt.optional(),
  storage: storage.optional(),
  resources: resources.optional(),
};
export const consulOverlay = z.strictObject(consulSizing);
export const consul = z.strictObject({
  ...consulSizing,
  image: externalImage,
  servers: positiveInt,
  storage,
  resources,
  /** Gossip encryption key (32 random bytes, base64). */
  gossipKeySecret: secretKeyRef,
  /** ACL bootstrap token (`acl.tokens.initial_management`, a UUID); the KV seeding Job uses it. */
  bootstrapTokenSecret: secretKeyRef,
  /**
   * The services' Consul tokens, one per service that uses Consul: Secret `<name>-<service>`,
   * key `key`, each a UUID. The seeding Job registers each with its own policy: register only
   * that service, read only `services/<service>/`.
   */
  clientTokenSecret: secretKeyRef,
  /**
   * The servers' agent token (`acl.tokens.agent`, a UUID), created by the seeding Job with a node
   * identity per server, so node and coordinate updates pass under `default_policy: deny`.
   * @default { name: "consul-agent-token", key: "token" }
   */
  agentTokenSecret: secretKeyRef.optional(),
});

export const environment = z.strictObject({
  /** Caps every service's replica count; 1 turns autoscaling off. */
  maxReplicas: positiveInt.optional(),
  /** Multiplies every service's requests and limits (0.5 halves them). */
  resourceScale: z.number().positive().max(4).optional(),
  hostnames: z.strictObject({ api: hostname }),
  /** The certificate Kong serves for `hostnames.api`; required when any service has a route. */
  tls: publicTls.optional(),
  /** Per-service image tag overrides for this environment, keyed by service name. */
  imageTags: z.record(z.string(), imageTag).optional(),
  /** Per-environment mesh settings. */
  istio: z
    .strictObject({
      /** Percentage of requests the sidecars trace (0 to 100, fractions allowed). */
      tracingSampling: z.number().min(0, 'must be a percentage from 0 to 100').max(100, 'must be a percentage from 0 to 100').optional(),
    })
    .optional(),
  /** API gateway settings of this environment: CORS origins, default rate-limit policy. */
  gateway: gatewayOverlay.optional(),
  /** Redis cluster sizing for this environment, field by field over `platform.redis`. */
  redis: redisOverlay.optional(),
  /** Consul sizing for this environment, field by field over `platform.consul`. */
  consul: consulOverlay.optional(),
  /** Telemetry overrides for this environment (Jaeger storage, Loki PVC size, retention, Loki limits). */
  telemetry: environmentTelemetry.optional(),
  /** Resilience defaults of this environment, over `defaults.resilience` (same shape). */
  resilience: resilienceDefaults.optional(),
  /**
   * Canaries of this environment, keyed by service: a second Deployment running `tag` that gets
   * `weight` percent of the service's mesh traffic (the seeds' weighted routing).
   */
  canaries: z.record(z.string(), z.strictObject({ tag: imageTag, weight: z.number().int().min(1, 'must be a percentage from 1 to 99').max(99, 'must be a percentage from 1 to 99') })).optional(),
});

export const catalogSchema = z.strictObject({
  platform: z.strictObject({
    name: dnsLabel,
    domain: hostname,
    /** Registry and path prefix of the platform's own images. */
    registry: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, 'must be a registry host with an optional path'),
    /** Namespace base names; the environment name is appended (`suoke-life-prod`). */
    namespaces: z.strictObject({ apps: dnsLabel, data: dnsLabel, observability: dnsLabel }),
    /** The service mesh; absent: the defaults of `catalog/resolve.ts` (`DEFAULT_ISTIO`). */
    istio: istio.optional(),
    /** The API gateway (Kong); see `kong` above. */
    kong: kong.optional(),
    /** The Redis cluster in the data namespace; absent means none (and no service may use it). */
    redis: redis.optional(),
    /** Consul servers in the data namespace; absent means none (and no service may use it). */
    consul: consul.optional(),
    /** Collector, Jaeger and Loki settings; the code's defaults when absent (catalog/telemetry.ts). */
    telemetry: telemetry.optional(),
    /** Bounds every size and replica count must fit (catalog/limits.ts `DEFAULT_LIMITS` when absent). */
    limits: limits.optional(),
    /** The secret scan's reviewed exceptions (catalog/secrets/). */
    secretScan: secretScan.optional(),
  }),
  defaults: z.strictObject({
    /** Plain environment variables every service gets; a service's own `env` wins. */
    env: z.record(envName, z.string()).optional(),
    resources,
    probes: z.strictObject({
      startup: probe,
      readiness: probe,
      liveness: probe,
    }),
    autoscaling: z.strictObject({
      minReplicas: positiveInt,
      maxReplicas: positiveInt,
      cpuUtilization: percent,
      memoryUtilization: percent,
    }),
    /** Timeouts, retries, connection pools and ejection; the code's defaults (catalog/resilience.ts) fill what is left out. */
    resilience: resilienceDefaults.optional(),
  }),
  environments: z.strictObject({ dev: environment, staging: environment, prod: environment }),
  services: z.array(service).min(1, 'must list at least one service'),
});

export type CatalogDocument = z.infer<typeof catalogSchema>;
export type ServiceEntry = CatalogDocument['services'][number];
export type CallEntry = NonNullable<ServiceEntry['calls']>[number];
export type RouteEntry = z.infer<typeof route>;
export type IstioEntry = z.infer<typeof istio>;
export type KongEntry = z.infer<typeof kong>;
export type RateLimitPolicy = (typeof RATE_LIMIT_POLICIES)[number];
export type HttpMethod = (typeof HTTP_METHODS)[number];
export type Layer = (typeof LAYERS)[number];
export type TelemetryEntry = z.infer<typeof telemetry>;
export type JaegerStorageEntry = z.infer<typeof jaegerStorage>;
export type SloEntry = z.infer<typeof slo>;
export type ResilienceSettingsEntry = z.infer<typeof resilienceSettings>;
export type ResilienceDefaultsEntry = z.infer<typeof resilienceDefaults>;
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];
