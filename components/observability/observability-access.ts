import { Construct } from 'constructs';
import { AuthorizationPolicy } from '../mesh/authorization-policy';
import { NamespaceIsolation } from '../mesh/namespace-isolation';
import { NetworkAccess } from '../mesh/network-access';
import { COLLECTOR_PORTS } from './collector-config';
import { JAEGER_PORTS } from './jaeger-config';
import { LOKI_PORTS } from './loki-config';
import { ISTIO_MERGED_METRICS, prometheusScrapeRule } from '../mesh/prometheus-scrape';

/** A workload the rules name: its namespace, pod selector and mesh principal. */
export interface AccessWorkload {
  readonly namespace: string;
  readonly pods: Record<string, string>;
  readonly principal: string;
}

export interface ObservabilityAccessProps {
  readonly namespace: string;
  readonly agentNamespace: string;
  readonly labels: Record<string, string>;
  readonly istioNamespace: string;
  readonly collector: AccessWorkload;
  readonly agent: AccessWorkload;
  readonly jaeger: AccessWorkload;
  readonly loki: AccessWorkload;
  /** The application namespace, whose pods send OTLP. */
  readonly appsNamespace: string;
  /** Principals of every catalog service (api-gateway included). */
  readonly servicePrincipals: readonly string[];
  /** Prometheus (Prometheus Operator in `monitoring`). */
  readonly prometheus: AccessWorkload;
  /** Grafana, which queries Jaeger and Loki (it needs a sidecar for STRICT mTLS). */
  readonly grafana: AccessWorkload;
}

const port = (n: number) => String(n);

/**
 * Default deny for the observability namespaces (Istio allow-nothing + NetworkPolicy deny, DNS and
 * istiod open), then exactly the telemetry flows: services and the agent → collector OTLP;
 * collector → Jaeger OTLP and Loki /otlp; Grafana → Jaeger query and Loki reads; Prometheus →
 * collector's exporter and every pod's merged metrics (15020, served by the sidecar agent outside
 * the authorization policies, so only the NetworkPolicy guards it).
 */
export class ObservabilityAccess extends Construct {
  constructor(scope: Construct, id: string, props: ObservabilityAccessProps) {
    super(scope, id);
    const { namespace, labels } = props;
    new NamespaceIsolation(this, 'Isolation', { namespace, labels, istioNamespace: props.istioNamespace });
    new NamespaceIsolation(this, 'AgentIsolation', { namespace: props.agentNamespace, labels, istioNamespace: props.istioNamespace });
    const scrapeFromPrometheus = prometheusScrapeRule(props.prometheus.namespace, props.prometheus.pods);

    // collector: OTLP from every service and from the agent; its exporter to Prometheus.
    new AuthorizationPolicy(this, 'CollectorPolicy', {
      name: 'otel-collector',
      namespace,
      labels,
      selector: props.collector.pods,
      rules: [
        { principals: [...props.servicePrincipals, props.agent.principal].sort(), to: [{ ports: [port(COLLECTOR_PORTS.otlpGrpc), port(COLLECTOR_PORTS.otlpHttp)] }] },
        { principals: [props.prometheus.principal], to: [{ methods: ['GET'], paths: ['/metrics'], ports: [port(COLLECTOR_PORTS.prometheus)] }] },
      ],
    });
    new NetworkAccess(this, 'CollectorNetwork', {
      name: 'otel-collector',
      namespace,
      labels,
      podSelector: props.collector.pods,
      ingress: [
        { peers: [{ namespace: props.appsNamespace }], ports: [{ port: COLLECTOR_PORTS.otlpGrpc }, { port: COLLECTOR_PORTS.otlpHttp }] },
        { peers: [{ namespace: props.agentNamespace, pods: props.agent.pods }], ports: [{ port: COLLECTOR_PORTS.otlpGrpc }] },
        { peers: [{ namespace: props.prometheus.namespace, pods: props.prometheus.pods }], ports: [{ port: COLLECTOR_PORTS.prometheus }, { port: ISTIO_MERGED_METRICS.port }] },
      ],
      egress: [
        { peers: [{ pods: props.jaeger.pods }], ports: [{ port: JAEGER_PORTS.otlpGrpc }] },
        { peers: [{ pods: props.loki.pods }], ports: [{ port: LOKI_PORTS.http }] },
      ],
    });

    // Jaeger: spans from the collector, queries from Grafana.
    new AuthorizationPolicy(this, 'JaegerPolicy', {
      name: 'jaeger',
      namespace,
      labels,
      selector: props.jaeger.pods,
      rules: [
        { principals: [props.collector.principal], to: [{ ports: [port(JAEGER_PORTS.otlpGrpc)] }] },
        { principals: [props.grafana.principal], to: [{ methods: ['GET'], ports: [port(JAEGER_PORTS.query)] }] },
      ],
    });
    new NetworkAccess(this, 'JaegerNetwork', {
      name: 'jaeger',
      namespace,
      labels,
      podSelector: props.jaeger.pods,
      ingress: [
        { peers: [{ pods: props.collector.pods }], ports: [{ port: JAEGER_PORTS.otlpGrpc }] },
        { peers: [{ namespace: props.grafana.namespace, pods: props.grafana.pods }], ports: [{ port: JAEGER_PORTS.query }] },
        scrapeFromPrometheus,
      ],
    });

    // Loki: OTLP pushes from the collector, reads from Grafana.
    new AuthorizationPolicy(this, 'LokiPolicy', {
      name: 'loki',
      namespace,
      labels,
      selector: props.loki.pods,
      rules: [
        { principals: [props.collector.principal], to: [{ methods: ['POST'], paths: ['/otlp/*'], ports: [port(LOKI_PORTS.http)] }] },
        { principals: [props.grafana.principal], to: [{ methods: ['GET', 'POST'], paths: ['/loki/api/*'], ports: [port(LOKI_PORTS.http)] }] },
      ],
    });
    new NetworkAccess(this, 'LokiNetwork', {
      name: 'loki',
      namespace,
      labels,
      podSelector: props.loki.pods,
      ingress: [
        { peers: [{ pods: props.collector.pods }], ports: [{ port: LOKI_PORTS.http }] },
        { peers: [{ namespace: props.grafana.namespace, pods: props.grafana.pods }], ports: [{ port: LOKI_PORTS.http }] },
        scrapeFromPrometheus,
      ],
    });

    // agent: to the gateway collector, and to the Kubernetes API (k8sattributes). The API server
    // is not a pod, so its rule names only the ports (any address).
    new NetworkAccess(this, 'AgentNetwork', {
      name: 'otel-agent',
      namespace: props.agentNamespace,
      labels,
      podSelector: props.agent.pods,
      egress: [
        { peers: [{ namespace, pods: props.collector.pods }], ports: [{ port: COLLECTOR_PORTS.otlpGrpc }] },
        { peers: [], ports: [{ port: 443 }, { port: 6443 }] },
      ],
    });
  }
}
