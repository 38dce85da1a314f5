import { z } from 'zod';

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
const cpu = z.string().regex(/^\d+(\.\d{1,3})?m?$/, 'must be a CPU quantity such as "250m" or "1"');
const memory = z.string().regex(/^\d+(Ki|Mi|Gi|Ti)$/, 'must be a memory quantity in binary units such as "256Mi" or "2Gi"');
const duration = z.string().regex(/^\d+(s|m|h)$/, 'must be a duration with a unit such as "5s", "2m" or "1h"');
const imageTag = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be an image tag such as "1.4.2"')
  .refine((tag) => tag !== 'latest', 'must be an explicit version such as "1.4.2", never "latest"');
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

const call = z.strictObject({
  /** The callee's `name`. */
  service: z.string(),
  methods: z.array(httpMethod).min(1, 'must list at least one method'),
  paths: z.array(pathPattern).min(1, 'must list at least one path (use "/*" for every path)'),
});

const secretRef = z.strictObject({
  /** The environment variable the value is exposed as. */
  env: envName,
  /** Name of a Secret in the service's namespace; its value never appears in the catalog. */
  secret: dnsLabel,
  key: configKey,
});

export const route = z.strictObject({
  /** Public path prefix on the API host, e.g. `/api/v1/auth`. */
  path: z.string().regex(/^\/[A-Za-z0-9._~\-/]*$/, 'must be a path prefix starting with "/", without "*"'),
  methods: z.array(httpMethod).min(1, 'must list at least one method'),
  plugins: z
    .strictObject({
      'rate-limiting': z
        .strictObject({
          minute: positiveInt.optional(),
          hour: positiveInt.optional(),
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
    }),
  ),
]);

/** Telemetry infrastructure: pinned images, retention and storage (README "Telemetry"). */
export const telemetry = z.strictObject({
  images: z.strictObject({ collector: externalImage, jaeger: externalImage, loki: externalImage }),
  /** How long traces and logs are kept; logs in whole days (Loki's index period is 24h). */
  retention: z.strictObject({ traces: duration, logs: duration }),
  /** Size of Loki's PVC. */
  lokiStorage: memory,
  jaegerStorage,
});

/** Per-environment telemetry overrides. */
export const environmentTelemetry = z.strictObject({
  jaegerStorage: jaegerStorage.optional(),
  lokiStorage: memory.optional(),
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
});

export const environment = z.strictObject({
  /** Caps every service's replica count; 1 turns autoscaling off. */
  maxReplicas: positiveInt.optional(),
  /** Multiplies every service's requests and limits (0.5 halves them). */
  resourceScale: z.number().positive().max(4).optional(),
  hostnames: z.strictObject({ api: hostname }),
  /** Per-service image tag overrides for this environment, keyed by service name. */
  imageTags: z.record(z.string(), imageTag).optional(),
  /** Telemetry overrides for this environment (Jaeger storage, Loki PVC size). */
  telemetry: environmentTelemetry.optional(),
});

export const catalogSchema = z.strictObject({
  platform: z.strictObject({
    name: dnsLabel,
    domain: hostname,
    /** Registry and path prefix of the platform's own images. */
    registry: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, 'must be a registry host with an optional path'),
    /** Namespace base names; the environment name is appended (`suoke-life-prod`). */
    namespaces: z.strictObject({ apps: dnsLabel, data: dnsLabel, observability: dnsLabel }),
    /** Collector, Jaeger and Loki settings; the code's defaults when absent (catalog/telemetry.ts). */
    telemetry: telemetry.optional(),
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
  }),
  environments: z.strictObject({ dev: environment, staging: environment, prod: environment }),
  services: z.array(service).min(1, 'must list at least one service'),
});

export type CatalogDocument = z.infer<typeof catalogSchema>;
export type ServiceEntry = CatalogDocument['services'][number];
export type CallEntry = NonNullable<ServiceEntry['calls']>[number];
export type RouteEntry = z.infer<typeof route>;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export type Layer = (typeof LAYERS)[number];
export type TelemetryEntry = z.infer<typeof telemetry>;
export type JaegerStorageEntry = z.infer<typeof jaegerStorage>;
export type SloEntry = z.infer<typeof slo>;
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];
