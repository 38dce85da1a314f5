import type { JaegerStorageModel } from '../../catalog/model';
import { memoryLimiterFor, POD_IP } from './collector-config';

/**
 * Jaeger v2's configuration (an OpenTelemetry collector with Jaeger's extensions), as a pure function.
 *
 * @see https://www.jaegertracing.io/docs/2.8/deployment/configuration/
 * @see https://github.com/jaegertracing/jaeger/blob/main/cmd/jaeger/config-badger.yaml
 * @see https://github.com/jaegertracing/jaeger/blob/main/cmd/jaeger/config-elasticsearch.yaml
 */
export const JAEGER_PORTS = { otlpGrpc: 4317, query: 16686, queryGrpc: 16685, health: 13133, selfMetrics: 8888 } as const;

/** Where Badger keeps its files: the PVC's mount. */
export const BADGER_DIR = '/badger';

/** Environment variables the Elasticsearch credentials arrive in (from the Secret, never the config). */
export const ES_CREDENTIAL_ENV = { username: 'ES_USERNAME', password: 'ES_PASSWORD' } as const;

export interface JaegerConfigProps {
  readonly storage: JaegerStorageModel;
  /** How long spans are kept, in hours (Badger's TTL). */
  readonly retentionHours: number;
  readonly memoryLimit: string;
}

function backend(storage: JaegerStorageModel, retentionHours: number) {
  switch (storage.backend) {
    case 'memory':
      return { memory: { max_traces: storage.maxTraces ?? 100000 } };
    case 'badger':
      return { badger: { directories: { keys: `${BADGER_DIR}/keys`, values: `${BADGER_DIR}/values` }, ephemeral: false, ttl: { spans: `${retentionHours}h` } } };
    default:
      return {
        [storage.backend]: {
          server_urls: [storage.url],
          auth: { basic: { username: `\${env:${ES_CREDENTIAL_ENV.username}}`, password: `\${env:${ES_CREDENTIAL_ENV.password}}` } },
          // daily indices: retention is deleting whole days (the cluster's ILM policy or Jaeger's index cleaner).
          indices: { index_prefix: 'jaeger', spans: { date_layout: '2006-01-02', rollover_frequency: 'day' }, services: { date_layout: '2006-01-02', rollover_frequency: 'day' } },
        },
      };
  }
}

export function jaegerConfig(props: JaegerConfigProps) {
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: { traces: { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['jaeger_storage_exporter'] } },
      telemetry: {
        resource: { 'service.name': 'jaeger' },
        logs: { level: 'info', encoding: 'json' },
        metrics: { level: 'basic', readers: [{ pull: { exporter: { prometheus: { host: '127.0.0.1', port: JAEGER_PORTS.selfMetrics } } } }] },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `${POD_IP}:${JAEGER_PORTS.health}` } },
      jaeger_query: {
        storage: { traces: 'traces' },
        http: { endpoint: `${POD_IP}:${JAEGER_PORTS.query}` },
        grpc: { endpoint: `${POD_IP}:${JAEGER_PORTS.queryGrpc}` },
      },
      jaeger_storage: { backends: { traces: backend(props.storage, props.retentionHours) } },
    },
    // OTLP gRPC only: the gateway collector is the one sender.
    receivers: { otlp: { protocols: { grpc: { endpoint: `${POD_IP}:${JAEGER_PORTS.otlpGrpc}` } } } },
    processors: { memory_limiter: { check_interval: '1s', ...memoryLimiterFor(props.memoryLimit) }, batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'traces' } },
  };
}
