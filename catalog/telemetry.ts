import { parseDuration } from './duration';
import { imageReference, versionLabel } from './image-tag';
import type { JaegerStorageModel, LokiLimitsModel, SloModel, TelemetryModel } from './model';
import type { CatalogDocument, EnvironmentName, ServiceEntry, TelemetryEntry } from './schema';

/**
 * What `platform.telemetry` holds when the catalog leaves it out: pinned images (collector-contrib,
 * because the slim k8s distribution has no Prometheus exporter; Jaeger v2; Loki 3), a week of
 * traces, a month of logs, Badger on a PVC for Jaeger.
 */
export const TELEMETRY_DEFAULTS: TelemetryEntry = {
  images: {
    collector: { repository: 'docker.io/otel/opentelemetry-collector-contrib', tag: '0.130.0' },
    jaeger: { repository: 'docker.io/jaegertracing/jaeger', tag: '2.8.0' },
    loki: { repository: 'docker.io/grafana/loki', tag: '3.5.0' },
  },
  retention: { traces: '168h', logs: '744h' },
  lokiStorage: '20Gi',
  jaegerStorage: { backend: 'badger', size: '10Gi' },
};

/**
 * Loki 3.5's own limits (pkg/validation/limits.go RegisterFlags: ingestion_rate_mb 4,
 * ingestion_burst_size_mb 6, per_stream_rate_limit 3MB, per_stream_rate_limit_burst 15MB), used
 * where the catalog sets none.
 */
export const LOKI_DEFAULT_LIMITS: LokiLimitsModel = { ingestionRateMb: 4, ingestionBurstSizeMb: 6, perStreamRateLimitMb: 3, perStreamRateLimitBurstMb: 15 };

/** One environment's Loki limits: Loki's defaults, then the catalog's, then the environment's, field by field. */
export function effectiveLokiLimits(doc: CatalogDocument, environment: EnvironmentName): LokiLimitsModel {
  return { ...LOKI_DEFAULT_LIMITS, ...doc.platform.telemetry?.lokiLimits, ...doc.environments[environment].telemetry?.lokiLimits };
}

/** One environment's retention durations: the catalog's (or the defaults), then the environment's. */
export function effectiveRetention(doc: CatalogDocument, environment: EnvironmentName): { traces: string; logs: string } {
  const settings = doc.platform.telemetry ?? TELEMETRY_DEFAULTS;
  return { ...settings.retention, ...doc.environments[environment].telemetry?.retention };
}

/** PLATFORM.md "Targets": availability > 99.9 %, p95 latency < 200 ms. */
export const SLO_DEFAULTS: SloModel = { availability: 99.9, latencyP95Ms: 200 };

/** The Loki tenant every log line is written to (the seed's `suoke-life`): the platform name. */
export function telemetryTenant(doc: CatalogDocument): string {
  return doc.platform.name;
}

/** One environment's telemetry settings: the catalog's (or the defaults), the environment's overrides applied. */
export function resolveTelemetry(doc: CatalogDocument, environment: EnvironmentName): TelemetryModel {
  const settings = doc.platform.telemetry ?? TELEMETRY_DEFAULTS;
  const overlay = doc.environments[environment].telemetry;
  const image = (i: { repository: string; tag: string }) => imageReference(i.repository, i.tag);
  const cap = doc.environments[environment].maxReplicas ?? Infinity;
  const jaegerStorage: JaegerStorageModel = overlay?.jaegerStorage ?? settings.jaegerStorage;
  const retention = effectiveRetention(doc, environment);
  return {
    agentNamespace: `${doc.platform.namespaces.observability}-agent-${environment}`,
    tenant: telemetryTenant(doc),
    images: { collector: image(settings.images.collector), jaeger: image(settings.images.jaeger), loki: image(settings.images.loki) },
    versions: { collector: versionLabel(settings.images.collector.tag), jaeger: versionLabel(settings.images.jaeger.tag), loki: versionLabel(settings.images.loki.tag) },
    retention: { tracesHours: parseDuration(retention.traces)! / 3600, logsHours: parseDuration(retention.logs)! / 3600 },
    lokiStorage: overlay?.lokiStorage ?? settings.lokiStorage,
    lokiLimits: effectiveLokiLimits(doc, environment),
    jaegerStorage,
    // the gateway collector scales like a service: 2..4 where the environment allows, else one pod.
    collectorReplicas: { min: Math.min(2, cap), max: Math.min(4, cap) },
    // the environment's resource scale, for the telemetry components' own requests and limits.
    resourceScale: doc.environments[environment].resourceScale ?? 1,
  };
}

export function resolveSlo(entry: ServiceEntry): SloModel {
  return { ...SLO_DEFAULTS, ...entry.slo };
}
