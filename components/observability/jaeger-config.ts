import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import type { JaegerStorageModel } from '../../catalog/model';
import { memoryLimiterFor, POD_IP } from './collector-config';

/**
 * Jaeger v2's configuration (an OpenTelemetry collector with Jaeger's extensions), as a pure function.
 *
 * @see https://www.jaegertracing.io/docs/2.8/deployment/configuration/
 * @see https://github.com/jaegertracing/jaeger/blob/main/cmd/jaeger/config-badger.yaml
 * @see https://github.com/jaegertracing/jaeger/blob/main/cmd/jaeger/config-elasticsearch.yaml
 */
export const JAEGER_PORTS = PLATFORM_COMPONENTS.jaeger.ports;

/** The ports other workloads reach; the health port stays in the pod. */
export const JAEGER_SERVICE_PORTS = [
  { name: 'grpc-otlp', port: JAEGER_PORTS.otlpGrpc, appProtocol: 'grpc' },
  { name: 'http-query', port: JAEGER_PORTS.query, appProtocol: 'http' },
] as const;

/** Where Badger keeps its files: the PVC's mount. */
export const BADGER_DIR = '/badger';

/** Where the CA certificate of an external trace store is mounted (from the Secret the catalog names). */
export const ES_CA_FILE = '/etc/jaeger/es-ca/ca.crt';

/** Environment variables the Elasticsearch credentials arrive in (from the Secret, never the config). */
export const ES_CREDENTIAL_ENV = { username: 'ES_USERNAME', password: 'ES_PASSWORD' } as const;

export interface JaegerConfigProps {
  readonly storage: JaegerStorageModel;
  /** How long spans are kept, in hours (Badger's TTL; how far back Elasticsearch reads look). */
  readonly retentionHours: number;
  /**
   * Prefix of the Elasticsearch/OpenSearch indices, joined with `-` (`<prefix>-jaeger-span-<date>`),
   * so several environments can share one cluster.
   */
  readonly indexPrefix: string;
  readonly memoryLimit: string;
}

function backend(storage: JaegerStorageModel, retentionHours: number, indexPrefix: string) {
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
          // verify the cluster's certificate: against the catalog's CA when it names one, else the image's roots.
          // internal/storage/elasticsearch/config/config.go @v2.8.0: GetHTTPRoundTripper loads
          // tls (configtls.ClientConfig) whenever `insecure` is false.
          tls: { insecure: false, insecure_skip_verify: false, ...(storage.ca ? { ca_file: ES_CA_FILE } : {}) },
          // reads look back as far as spans are kept; the default (72h, options.go DefaultConfig) would hide older traces.
          max_span_age: `${retentionHours}h`,
          // IndexPrefix.Apply joins prefix and "jaeger-span-…" with "-": the prefix names the environment, not "jaeger" again.
          // daily indices: retention is deleting whole days (the cluster's ILM policy or Jaeger's index cleaner).
          indices: { index_prefix: indexPrefix, spans: { date_layout: '2006-01-02', rollover_frequency: 'day' }, services: { date_layout: '2006-01-02', rollover_frequency: 'day' } },
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
      jaeger_storage: { backends: { traces: backend(props.storage, props.retentionHours, props.indexPrefix) } },
    },
    // OTLP gRPC only: the gateway collector is the one sender.
    receivers: { otlp: { protocols: { grpc: { endpoint: `${POD_IP}:${JAEGER_PORTS.otlpGrpc}` } } } },
    processors: { memory_limiter: { check_interval: '1s', ...memoryLimiterFor(props.memoryLimit) }, batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'traces' } },
  };
}
