import { z } from 'zod';
import { consulOverlay, redisOverlay } from './data-components';
import { hostname, imageTag, positiveInt } from './fields';
import { gatewayOverlay, publicTls } from './gateway';
import { resilienceDefaults } from './resilience';
import { environmentTelemetry } from './telemetry';

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

/** `environments`: one overlay per environment, each of the same shape. */
export const environmentsSection = z.strictObject({ dev: environment, staging: environment, prod: environment });

export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];
