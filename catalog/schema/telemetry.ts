import { z } from 'zod';
import { dnsLabel, duration, memory, positiveInt } from './fields';
import { externalImage } from './workload';

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

export type TelemetryEntry = z.infer<typeof telemetry>;
export type JaegerStorageEntry = z.infer<typeof jaegerStorage>;
