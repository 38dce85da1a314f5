import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import type { LokiLimitsModel } from '../../catalog/model';
import { LOKI_DEFAULT_LIMITS } from '../../catalog/telemetry';

/**
 * Loki 3's configuration for one monolithic (single-binary) replica, as a pure function: tsdb
 * schema v13, filesystem storage on the PVC, replication factor 1, retention by the compactor,
 * multi-tenant (`auth_enabled`), OTLP ingestion (structured metadata), no usage reporting.
 *
 * @see https://grafana.com/docs/loki/latest/configure/
 * @see https://grafana.com/docs/loki/latest/send-data/otel/
 * @see https://grafana.com/docs/loki/latest/operations/storage/retention/
 */
export const LOKI_PORTS = PLATFORM_COMPONENTS.loki.ports;
export const LOKI_DATA_DIR = '/var/loki';

/** The first day of the v13 schema period: fixed, since changing it re-reads the index. */
export const LOKI_SCHEMA_FROM = '2025-01-01';

export interface LokiConfigProps {
  /** Hours logs are kept; a whole number of days. */
  readonly retentionHours: number;
  /**
   * Per-tenant ingestion limits, MB and MB/s.
   * @default - Loki's defaults (4, 6, 3 and 15)
   */
  readonly limits?: LokiLimitsModel;
}

export function lokiConfig(props: LokiConfigProps) {
  if (props.retentionHours < 24 || props.retentionHours % 24 !== 0) {
    throw new Error(`loki retention must be a whole number of days (multiple of 24h), got ${props.retentionHours}h`);
  }
  const limits = props.limits ?? LOKI_DEFAULT_LIMITS;
  if (limits.ingestionBurstSizeMb < limits.ingestionRateMb || limits.perStreamRateLimitBurstMb < limits.perStreamRateLimitMb) {
    throw new Error(`loki limits: each burst must be at least its rate, got ingestion ${limits.ingestionRateMb}/${limits.ingestionBurstSizeMb} and per stream ${limits.perStreamRateLimitMb}/${limits.perStreamRateLimitBurstMb} MB`);
  }
  return {
    // every request names its tenant (X-Scope-OrgID); the collector sets it.
    auth_enabled: true,
    server: {
      http_listen_port: LOKI_PORTS.http,
      // gRPC only carries the single binary's internal calls: loopback.
      grpc_listen_address: '127.0.0.1',
      grpc_listen_port: LOKI_PORTS.grpc,
      log_level: 'info',
    },
    common: {
      instance_addr: '127.0.0.1',
      path_prefix: LOKI_DATA_DIR,
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
      storage: { filesystem: { chunks_directory: `${LOKI_DATA_DIR}/chunks`, rules_directory: `${LOKI_DATA_DIR}/rules` } },
    },
    schema_config: {
      configs: [{ from: LOKI_SCHEMA_FROM, store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    limits_config: {
      retention_period: `${props.retentionHours}h`,
      // pkg/validation/limits.go: ingestion_rate_mb and ingestion_burst_size_mb are float MB,
      // per_stream_rate_limit(_burst) are flagext.ByteSize strings ("3MB").
      ingestion_rate_mb: limits.ingestionRateMb,
      ingestion_burst_size_mb: limits.ingestionBurstSizeMb,
      per_stream_rate_limit: `${limits.perStreamRateLimitMb}MB`,
      per_stream_rate_limit_burst: `${limits.perStreamRateLimitBurstMb}MB`,
      // OTLP attributes that are not index labels become structured metadata (needs v13).
      allow_structured_metadata: true,
      volume_enabled: true,
    },
    compactor: { working_directory: `${LOKI_DATA_DIR}/compactor`, retention_enabled: true, delete_request_store: 'filesystem' },
    analytics: { reporting_enabled: false },
  };
}
