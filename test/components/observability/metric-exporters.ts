import { parse as parseYaml } from 'yaml';
import { REDIS_EXPORTER_IMAGE, REDIS_EXPORTER_PORT } from '../../../components/data/redis-exporter';
import { ISTIO_MERGED_METRICS } from '../../../components/mesh/prometheus-scrape';
import type { SynthesizedObject } from '../../support/platform';

/**
 * What each exporter the platform runs really exports, by metric name, taken from its upstream
 * source (or reference documentation) at the pinned version, cited per entry. Not exhaustive: a
 * name is added when a panel or rule starts using it, after reading that source. `running` says
 * whether an environment's objects actually run the exporter and let Prometheus scrape it.
 */
export interface MetricExporter {
  readonly exporter: string;
  /** Where the names come from. */
  readonly source: string;
  readonly metrics: readonly string[];
  /** Whole families by prefix, for exporters whose names depend on what is sent to them. */
  readonly prefixes?: (objects: readonly SynthesizedObject[]) => readonly string[];
  readonly running: (objects: readonly SynthesizedObject[]) => boolean;
}

/** A Prometheus histogram's three series. */
const histogram = (name: string) => [`${name}_bucket`, `${name}_count`, `${name}_sum`];

type Pod = { annotations: Record<string, string>; images: string[] };
function pods(objects: readonly SynthesizedObject[]): Pod[] {
  return objects
    .map((o) => o.object)
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
    .map((o) => ({ annotations: o.spec.template.metadata?.annotations ?? {}, images: o.spec.template.spec.containers.map((c: { image: string }) => c.image) }));
}
/** A pod running `image` (by repository) whose merged-metrics annotations name `port`. */
const scrapedPod = (objects: readonly SynthesizedObject[], repository: string, port?: number) =>
  pods(objects).some((p) => p.images.some((i) => i.startsWith(`${repository}:`)) && p.annotations['prometheus.io/scrape'] === 'true' && (port === undefined || p.annotations['prometheus.io/port'] === String(port)));
const podMonitorOn15020 = (objects: readonly SynthesizedObject[]) =>
  objects.some((o) => o.object.kind === 'PodMonitor' && o.object.spec.podMetricsEndpoints.some((e: { portNumber: number; path: string }) => e.portNumber === ISTIO_MERGED_METRICS.port && e.path === ISTIO_MERGED_METRICS.path));
/** The gateway collector's config (the ConfigMap of the Deployment that runs the Prometheus exporter). */
function collectorConfigs(objects: readonly SynthesizedObject[]): { exporters?: { prometheus?: { namespace?: string } } }[] {
  return objects.filter((o) => o.object.kind === 'ConfigMap' && typeof o.object.data?.['config.yaml'] === 'string').map((o) => parseYaml(o.object.data['config.yaml']) ?? {});
}
const kongPrometheusPlugin = (objects: readonly SynthesizedObject[]) =>
  objects
    .filter((o) => o.object.kind === 'ConfigMap' && typeof o.object.data?.['kong.yml'] === 'string')
    .flatMap((o) => parseYaml(o.object.data['kong.yml']).plugins ?? [])
    .find((p: { name: string }) => p.name === 'prometheus');

export const METRIC_EXPORTERS: readonly MetricExporter[] = [
  {
    exporter: 'Prometheus (per scrape target)',
    source: 'https://prometheus.io/docs/concepts/jobs_instances/#automatically-generated-labels-and-time-series',
    metrics: ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'],
    running: podMonitorOn15020,
  },
  {
    exporter: 'redis_exporter v1.88.0 (every Redis pod)',
    // exporter/exporter.go: metricMapGauges connected_clients, used_memory → memory_used_bytes,
    // maxmemory → memory_max_bytes; metricMapCounters total_commands_processed →
    // commands_processed_total; "up"; CLUSTER INFO fields (cluster_*) kept as named, `ok` → 1.
    source: 'github.com/oliver006/redis_exporter v1.88.0 exporter/exporter.go, exporter/metrics.go',
    metrics: ['redis_up', 'redis_connected_clients', 'redis_commands_processed_total', 'redis_memory_used_bytes', 'redis_memory_max_bytes', 'redis_cluster_state', 'redis_cluster_slots_ok', 'redis_cluster_known_nodes'],
    running: (objects) => pods(objects).some((p) => p.images.includes(REDIS_EXPORTER_IMAGE) && p.annotations['prometheus.io/port'] === String(REDIS_EXPORTER_PORT)),
  },
  {
    exporter: "Kong 3.9.1's prometheus plugin",
    // kong/plugins/prometheus/exporter.lua at 3.9.1: init(shm, "kong_"); http_requests_total
    // (status_code_metrics), request_latency_ms, kong_latency_ms, upstream_latency_ms (latency_metrics).
    source: 'github.com/Kong/kong 3.9.1 kong/plugins/prometheus/exporter.lua',
    metrics: ['kong_http_requests_total', ...histogram('kong_request_latency_ms'), ...histogram('kong_kong_latency_ms'), ...histogram('kong_upstream_latency_ms'), 'kong_bandwidth_bytes', 'kong_nginx_connections_total'],
    running: (objects) => {
      const plugin = kongPrometheusPlugin(objects);
      return scrapedPod(objects, 'docker.io/library/kong') && plugin?.config?.status_code_metrics === true && plugin?.config?.latency_metrics === true;
    },
  },
  {
    exporter: "the platform's services (prometheus client on /metrics)",
    // PLATFORM.md "Telemetry": the seed's alert rules and the 004 metric helpers; the services'
    // contract in README "The catalog" (http serves /metrics).
    source: '/work/shared/PLATFORM.md "Telemetry" (seed 003 alert rules, 004 metric helpers)',
    metrics: [...histogram('http_request_duration_seconds'), 'ai_agent_requests_total', 'ai_agent_requests_failed_total'],
    running: (objects) => pods(objects).some((p) => p.annotations['prometheus.io/path'] === '/metrics' && p.images.some((i) => !i.startsWith('docker.io/'))),
  },
  {
    exporter: 'Istio 1.30 sidecars (Envoy, merged on 15020)',
    source: 'https://istio.io/v1.30/docs/reference/config/metrics/',
    metrics: ['istio_requests_total', ...histogram('istio_request_duration_milliseconds'), 'istio_tcp_sent_bytes_total', 'istio_tcp_received_bytes_total', 'istio_tcp_connections_opened_total', 'istio_tcp_connections_closed_total'],
    running: podMonitorOn15020,
  },
  {
    exporter: "the gateway collector's Prometheus exporter (OTLP metrics of the services)",
    // exporters.prometheus.namespace prefixes every metric it exposes (collector-contrib
    // exporter/prometheusexporter README, v0.130.0); the names after it are the services' own.
    source: 'opentelemetry-collector-contrib v0.130.0 exporter/prometheusexporter/README.md',
    metrics: [],
    prefixes: (objects) => collectorConfigs(objects).flatMap((c) => (c.exporters?.prometheus?.namespace ? [`${c.exporters.prometheus.namespace}_`] : [])),
    running: (objects) => scrapedPod(objects, 'docker.io/otel/opentelemetry-collector-contrib'),
  },
  {
    // the gateway collector's own otelcol_* come out of its Prometheus exporter, so under its prefix (entry above).
    exporter: "Jaeger v2's own telemetry (a collector build: otelcol_*)",
    source: 'https://opentelemetry.io/docs/collector/internal-telemetry/#lists-of-internal-metrics',
    metrics: ['otelcol_receiver_accepted_spans_total', 'otelcol_receiver_refused_spans_total', 'otelcol_exporter_sent_spans_total', 'otelcol_exporter_send_failed_spans_total', 'otelcol_receiver_accepted_log_records_total', 'otelcol_exporter_sent_log_records_total'],
    running: (objects) => scrapedPod(objects, 'docker.io/jaegertracing/jaeger'),
  },
  {
    exporter: 'Consul 1.21 servers (/v1/agent/metrics?format=prometheus)',
    source: 'https://developer.hashicorp.com/consul/docs/reference/agent/telemetry (consul.autopilot.*, consul.raft.*)',
    metrics: ['consul_autopilot_healthy', 'consul_autopilot_failure_tolerance', 'consul_raft_applied_index', 'consul_runtime_num_goroutines'],
    running: (objects) => scrapedPod(objects, 'docker.io/hashicorp/consul'),
  },
  {
    exporter: 'Loki 3.5',
    // pkg/validation/validate.go (discarded_samples_total, discarded_bytes_total, Namespace loki);
    // pkg/distributor/distributor.go (bytes_received_total, lines_received_total).
    source: 'github.com/grafana/loki v3.5.0 pkg/validation/validate.go, pkg/distributor/distributor.go',
    metrics: ['loki_discarded_samples_total', 'loki_discarded_bytes_total', 'loki_distributor_bytes_received_total', 'loki_distributor_lines_received_total'],
    running: (objects) => scrapedPod(objects, 'docker.io/grafana/loki'),
  },
];

/**
 * Metrics a rule reads that nothing the platform runs exports yet, each with the reason it stays.
 * Reviewed: adding a name here needs a reason a reviewer accepts; the test fails when a listed
 * name becomes exported (then it must leave this list) or stops being used.
 */
export const EXPECTED_UNEXPORTED: ReadonlyMap<string, string> = new Map([
  [
    'pg_stat_activity_count',
    'DatabaseConnectionHigh is kept verbatim from the seed (PLATFORM.md "Telemetry") and stays inert until a PostgreSQL exporter (postgres_exporter, port 9187) is scraped; the platform runs no PostgreSQL',
  ],
]);
