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

export interface GatewayCollectorConfigProps {
  readonly environment: string;
  /** `service.namespace` resource attribute, e.g. `suoke-life`. */
  readonly serviceNamespace: string;
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
    },
    processors: {
      memory_limiter: { check_interval: '1s', ...memoryLimiterFor(props.memoryLimit) },
      resource: {
        attributes: [
          { key: 'service.namespace', value: props.serviceNamespace, action: 'upsert' },
          { key: 'deployment.environment', value: props.environment, action: 'upsert' },
          { key: 'deployment.environment.name', value: props.environment, action: 'upsert' },
        ],
      },
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
        traces: { receivers: ['otlp'], processors: pipelineProcessors(['resource']), exporters: ['otlp/jaeger'] },
        metrics: { receivers: ['otlp'], processors: pipelineProcessors(['resource']), exporters: ['prometheus'] },
        logs: { receivers: ['otlp'], processors: pipelineProcessors(['resource']), exporters: ['otlphttp/loki'] },
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
    extensions: { health_check: { endpoint: `${POD_IP}:${COLLECTOR_PORTS.health}` } },
    receivers: {
      filelog: {
        include: [`${POD_LOG_DIR}/*/*/*.log`],
        exclude: [`${POD_LOG_DIR}/${props.ownNamespace}_*/*/*.log`],
        // no checkpoint storage (it would need a writable hostPath): start at the end, so a restart
        // never re-sends old lines; lines written during a restart are lost.
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
      extensions: ['health_check'],
      telemetry: internalTelemetry(),
      pipelines: { logs: { receivers: ['filelog'], processors: pipelineProcessors(['k8sattributes']), exporters: ['otlp'] } },
    },
  };
}
