import { z } from 'zod';
import { configKey, dnsLabel, envName, httpMethod, LAYERS, pathPattern, port } from './fields';
import { route } from './gateway';
import { callPolicy, resilienceSettings } from './resilience';
import { autoscaling, image, probes, resources } from './workload';

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

const secretRef = z.strictObject({
  /** The environment variable the value is exposed as. */
  env: envName,
  /** Name of a Secret in the service's namespace; its value never appears in the catalog. */
  secret: dnsLabel,
  key: configKey,
});

/** Shared infrastructure a service may depend on (`uses`). */
export const PLATFORM_DEPENDENCIES = ['redis', 'consul'] as const;
export type PlatformDependency = (typeof PLATFORM_DEPENDENCIES)[number];

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

/** `services`: every service of the platform, at least one. */
export const servicesSection = z.array(service).min(1, 'must list at least one service');

export type SloEntry = z.infer<typeof slo>;
