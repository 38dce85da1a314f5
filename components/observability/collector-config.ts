import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { parseMemory } from '../../catalog/quantity';

/**
 * OpenTelemetry collector configurations as pure functions of typed input, so tests assert the
 * pipelines directly and the ConfigMap text is byte-stable.
 *
 * @see https://opentelemetry.io/docs/collector/configuration/
 * @see https://github.com/open-telemetry/opentelemetry-collector/blob/main/processor/memorylimiterprocessor/README.md
 */

/** Ports of the gateway collector (the Service other teams send to). */
export const COLLECTOR_PORTS = PLATFORM_COMPONENTS.collector.ports;

/** The ports the services, Jaeger's peers and Prometheus reach; the health port stays in the pod. */
export const COLLECTOR_SERVICE_PORTS = [
  { name: 'grpc-otlp', port: COLLECTOR_PORTS.otlpGrpc, appProtocol: 'grpc' },
  { name: 'http-otlp', port: COLLECTOR_PORTS.otlpHttp, appProtocol: 'http' },
  { name: 'http-metrics', port: COLLECTOR_PORTS.prometheus, appProtocol: 'http' },
] as const;

/** The receivers' bind address: the pod IP from the downward API, never 0.0.0.0 (SECURITY.md R4). */
export const POD_IP = '${env:MY_POD_IP}';

/** The memory_limiter's hard limit and spike in MiB for a container memory limit: 80 % and 20 % of it. */
export function memoryLimiterFor(containerMemoryLimit: string): { limit_mib: number; spike_limit_mib: number } {
  const bytes = parseMemory(containerMemoryLimit);
  if (bytes === undefined) throw new Error(`memory limit must be a binary quantity such as "512Mi", got "${containerMemoryLimit}"`);
  const mib = bytes / 1024 ** 2;
  return { limit_mib: Math.floor(mib * 0.8), spike_limit_mib: Math.floor(mib * 0.2) };
}

/** `GOMEMLIMIT` at about 80 % of the container's memory limit, so the Go GC works before the OOM killer does. */
export function goMemLimit(containerMemoryLimit: string): string {
  return `${memoryLimiterFor(containerMemoryLimit).limit_mib}MiB`;
}

/** The processors every pipeline runs, in order: memory_limiter first, batch last (SECURITY.md R4). */
function pipelineProcessors(middle: readonly string[]): string[] {
  return ['memory_limiter', ...middle, 'batch'];
}

/** Internal telemetry: metrics on localhost only (merged into Istio's 15020 is not needed for it), no pprof, no zpages. */
function internalTelemetry() {
  return {
    logs: { level: 'info', encoding: 'json' },
    metrics: { level: 'basic', readers: [{ pull: { exporter: { prometheus: { host: '127.0.0.1', port: COLLECTOR_PORTS.selfMetrics } } } }] },
  };
}

/** The processor that adds the platform attributes; replaces the seed's blanket `resource` upsert. */
export const PLATFORM_ATTRIBUTES = 'transform/platform';
const SELF_METRICS_RECEIVER = 'prometheus/self';
const SELF_METRICS_PIPELINE = 'metrics/self';

/**
 * `service.namespace` and the environment, only on the platform's own signals and only where
 * missing. The seed's `resource` processor upserted them on every resource, so kube-system and
 * data-namespace logs forwarded by the agent were labelled as the platform's (`service.namespace`
 * is one of Loki's default index labels). OTTL in resource context, statements in order, each
 * `where` evaluated per resource.
 *
 * @see https://github.com/open-telemetry/opentelemetry-collector-contrib/blob/v0.130.0/processor/transformprocessor/README.md
 */
export function platformAttributes(props: Pick<GatewayCollectorConfigProps, 'serviceNamespace' | 'appsNamespace' | 'environment'>) {
  const own = `attributes["service.namespace"] == "${props.serviceNamespace}"`;
  const missing = (key: string) => `attributes["${key}"] == nil`;
  const statements = [
    // the agent's logs of the services' pods carry k8s.namespace.name (container parser, k8sattributes);
    // the services' own OTLP already sets service.namespace (OTEL_RESOURCE_ATTRIBUTES).
    `set(attributes["service.namespace"], "${props.serviceNamespace}") where ${missing('service.namespace')} and attributes["k8s.namespace.name"] == "${props.appsNamespace}"`,
    `set(attributes["deployment.environment"], "${props.environment}") where ${missing('deployment.environment')} and ${own}`,
    `set(attributes["deployment.environment.name"], "${props.environment}") where ${missing('deployment.environment.name')} and ${own}`,
  ];
  // a fresh copy per signal: a shared object would be written as a YAML anchor and aliases.
  const group = () => [{ context: 'resource', statements: [...statements] }];
  // a statement that fails on one resource (a non-string attribute) skips it rather than dropping data.
  return { error_mode: 'ignore', trace_statements: group(), metric_statements: group(), log_statements: group() };
}

export interface GatewayCollectorConfigProps {
  readonly environment: string;
  /** `service.namespace` resource attribute, e.g. `suoke-life`. */
  readonly serviceNamespace: string;
  /**
   * The platform's own Kubernetes namespace (the services'): only resources from it, or already
   * carrying `serviceNamespace`, get the platform attributes.
   */
  readonly appsNamespace: string;
  /** The container's memory limit, e.g. `1Gi`. */
  readonly memoryLimit: string;
  /** Jaeger's OTLP gRPC endpoint, `host:port`. */
  readonly jaegerOtlpEndpoint: string;
  /** Loki's OTLP base URL, `http://loki...:3100/otlp` (the exporter appends `/v1/logs`). */
  readonly lokiOtlpEndpoint: string;
  /** Loki tenant, sent as `X-Scope-OrgID`. */
  readonly lokiTenant: string;
  /** Prometheus metric namespace (prefix), e.g. `suoke_life`. */
  readonly metricNamespace: string;
}

/**
 * The gateway: OTLP in from services and the agent; traces to Jaeger over OTLP (the `jaeger`
 * exporter was removed from the collector in 2023), metrics to a Prometheus exporter, logs to
 * Loki's native OTLP endpoint (the `loki` exporter was removed in 2024).
 *
 * Exporter TLS: in-cluster hops ride Istio mTLS (STRICT), so the exporters speak plain text to the
 * local sidecar (`tls.insecure`), which encrypts and authenticates the hop.
 */
export function gatewayCollectorConfig(props: GatewayCollectorConfigProps) {
  return {
    extensions: { health_check: { endpoint: `${POD_IP}:${COLLECTOR_PORTS.health}` } },
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `${POD_IP}:${COLLECTOR_PORTS.otlpGrpc}` },
          http: { endpoint: `${POD_IP}:${COLLECTOR_PORTS.otlpHttp}` },
        },
      },
      // receiver/prometheusreceiver: a Prometheus scrape_config, here of the internal telemetry.
      [SELF_METRICS_RECEIVER]: {
        config: { scrape_configs: [{ job_name: 'otelcol-self', scrape_interval: '30s', static_configs: [{ targets: [`127.0.0.1:${COLLECTOR_PORTS.selfMetrics}`] }] }] },
      },
    },
    processors: {
      memory_limiter: { check_interval: '1s', ...memoryLimiterFor(props.memoryLimit) },
      [PLATFORM_ATTRIBUTES]: platformAttributes(props),
      batch: { timeout: '1s', send_batch_size: 1024 },
    },
    exporters: {
      'otlp/jaeger': { endpoint: props.jaegerOtlpEndpoint, tls: { insecure: true } },
      prometheus: {
        // Istio's agent reads the exporter through localhost to merge it into 15020, so it cannot
        // bind to the pod IP; it is an exporter (read-only metrics), not a receiver.
        endpoint: `0.0.0.0:${COLLECTOR_PORTS.prometheus}`,
        namespace: props.metricNamespace,
        const_labels: { environment: props.environment },
        resource_to_telemetry_conversion: { enabled: true },
      },
      'otlphttp/loki': { endpoint: props.lokiOtlpEndpoint, headers: { 'X-Scope-OrgID': props.lokiTenant }, tls: { insecure: true } },
    },
    service: {
      extensions: ['health_check'],
      telemetry: internalTelemetry(),
      pipelines: {
        traces: { receivers: ['otlp'], processors: pipelineProcessors([PLATFORM_ATTRIBUTES]), exporters: ['otlp/jaeger'] },
        metrics: { receivers: ['otlp'], processors: pipelineProcessors([PLATFORM_ATTRIBUTES]), exporters: ['prometheus'] },
        // the collector's own metrics, read from its localhost-only endpoint, out through the one
        // exporter Istio merges (so as suoke_life_otelcol_*): the pod can annotate one port only.
        [SELF_METRICS_PIPELINE]: { receivers: [SELF_METRICS_RECEIVER], processors: pipelineProcessors([]), exporters: ['prometheus'] },
        logs: { receivers: ['otlp'], processors: pipelineProcessors([PLATFORM_ATTRIBUTES]), exporters: ['otlphttp/loki'] },
      },
    },
  };
}

export interface AgentCollectorConfigProps {
  readonly memoryLimit: string;
  /** The gateway's OTLP gRPC endpoint, `host:port`. */
  readonly gatewayEndpoint: string;
  /** The agent's own namespace, whose logs it does not read (it would ingest its own output). */
  readonly ownNamespace: string;
}

/** Where the agent keeps its read positions: a directory on the node (hostPath), so they outlive the pod. */
export const AGENT_CHECKPOINT_DIR = '/var/lib/otelcol/file_storage';
const CHECKPOINT_STORAGE = 'file_storage';

/** Where the kubelet writes container logs: `/var/log/pods/<ns>_<pod>_<uid>/<container>/<n>.log`. */
export const POD_LOG_DIR = '/var/log/pods';

/**
 * The agent: container logs from the node (filelog with the container parser, replacing the
 * end-of-life Promtail), enriched with Kubernetes metadata (k8sattributes, pods on this node
 * only), forwarded to the gateway over OTLP.
 *
 * @see https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/receiver/filelogreceiver
 * @see https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/processor/k8sattributesprocessor
 */
export function agentCollectorConfig(props: AgentCollectorConfigProps) {
  return {
    extensions: {
      health_check: { endpoint: `${POD_IP}:${COLLECTOR_PORTS.health}` },
      // extension/storage/filestorage: a bbolt file per component under `directory`.
      [CHECKPOINT_STORAGE]: { directory: AGENT_CHECKPOINT_DIR },
    },
    receivers: {
      filelog: {
        include: [`${POD_LOG_DIR}/*/*/*.log`],
        exclude: [`${POD_LOG_DIR}/${props.ownNamespace}_*/*/*.log`],
        // read positions are checkpointed in file_storage (receiver/filelogreceiver README, `storage`),
        // so a restarted agent resumes every known file where it stopped: nothing lost or sent twice.
        // start_at applies only to files without a checkpoint (as in the collector Helm chart's
        // logsCollection preset): the first rollout does not replay the node's whole log history.
        storage: CHECKPOINT_STORAGE,
        start_at: 'end',
        include_file_path: true,
        include_file_name: false,
        operators: [{ type: 'container', id: 'container-parser' }],
      },
    },
    processors: {
      memory_limiter: { check_interval: '1s', ...memoryLimiterFor(props.memoryLimit) },
      k8sattributes: {
        auth_type: 'serviceAccount',
        passthrough: false,
        // only this node's pods: each agent watches a small slice of the API.
        filter: { node_from_env_var: 'K8S_NODE_NAME' },
        extract: {
          metadata: ['k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.deployment.name', 'k8s.statefulset.name', 'k8s.daemonset.name', 'k8s.node.name', 'k8s.container.name'],
          labels: [{ tag_name: 'service.name', key: 'app.kubernetes.io/name', from: 'pod' }],
        },
        pod_association: [{ sources: [{ from: 'resource_attribute', name: 'k8s.pod.uid' }] }, { sources: [{ from: 'resource_attribute', name: 'k8s.pod.name' }, { from: 'resource_attribute', name: 'k8s.namespace.name' }] }],
      },
      batch: { timeout: '1s', send_batch_size: 1024 },
    },
    exporters: { otlp: { endpoint: props.gatewayEndpoint, tls: { insecure: true } } },
    service: {
      extensions: ['health_check', CHECKPOINT_STORAGE],
      telemetry: internalTelemetry(),
      pipelines: { logs: { receivers: ['filelog'], processors: pipelineProcessors(['k8sattributes']), exporters: ['otlp'] } },
    },
  };
}
