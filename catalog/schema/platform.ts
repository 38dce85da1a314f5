import { z } from 'zod';
import { consul, redis } from './data-components';
import { cpu, dnsLabel, hostname, memory, positiveInt } from './fields';
import { kong } from './gateway';
import { istio } from './mesh';
import { telemetry } from './telemetry';

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

/** `platform`: name, registry, namespaces and the components every environment shares. */
export const platformSection = z.strictObject({
  name: dnsLabel,
  domain: hostname,
  /** Registry and path prefix of the platform's own images. */
  registry: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, 'must be a registry host with an optional path'),
  /** Namespace base names; the environment name is appended (`suoke-life-prod`). */
  namespaces: z.strictObject({ apps: dnsLabel, data: dnsLabel, observability: dnsLabel }),
  /** The service mesh; absent: the defaults of `catalog/resolve/mesh.ts` (`DEFAULT_ISTIO`). */
  istio: istio.optional(),
  /** The API gateway (Kong); see `kong` (catalog/schema/gateway.ts). */
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
});
