import { Construct } from 'constructs';
import type { Endpoint, ExternalEndpoint, PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { NamespaceIsolation } from '../mesh/namespace-isolation';
import { endpointPeer, type Peer } from '../mesh/network-access';
import { WorkloadAccess, type WorkloadAccessProps } from '../mesh/workload-access';
import { prometheusScrapeRule } from '../mesh/prometheus-scrape';
import { ServiceEntry } from '../mesh/service-entry';

type Ports<K extends keyof typeof PLATFORM_COMPONENTS> = (typeof PLATFORM_COMPONENTS)[K]['ports'];

export interface ObservabilityAccessProps {
  readonly labels: Record<string, string>;
  readonly istioNamespace: string;
  readonly collector: Endpoint<Ports<'collector'>>;
  readonly agent: Endpoint<Ports<'agent'>>;
  readonly jaeger: Endpoint<Ports<'jaeger'>>;
  readonly loki: Endpoint<Ports<'loki'>>;
  /**
   * Every meshed workload: each one's sidecar exports spans to the collector through Istio's
   * tracing provider (and the services their own OTLP), so each is admitted on OTLP gRPC.
   */
  readonly tracingClients: readonly Pick<Endpoint, 'namespace' | 'selector' | 'principal'>[];
  /** Prometheus (Prometheus Operator in `monitoring`). */
  readonly prometheus: Endpoint;
  /** Grafana, which queries Jaeger and Loki (it needs a sidecar for STRICT mTLS). */
  readonly grafana: Endpoint;
  /**
   * The external trace store Jaeger writes to, declared to the mesh and opened in the network.
   * @default - Jaeger keeps traces in the cluster
   */
  readonly traceStore?: ExternalEndpoint;
}

const port = (n: number) => String(n);

/**
 * Default deny for the observability namespaces (Istio allow-nothing + NetworkPolicy deny, DNS,
 * istiod and tracing open), then exactly the telemetry flows: every meshed workload → collector
 * OTLP gRPC; collector → Jaeger OTLP and Loki /otlp; Jaeger → its external trace store; Grafana →
 * Jaeger query and Loki reads; Prometheus → every pod's merged metrics (15020, served by the sidecar
 * agent outside the authorization policies, so only the NetworkPolicy guards it).
 */
export class ObservabilityAccess extends Construct {
  public static readonly sourceFile = __filename;
  constructor(scope: Construct, id: string, props: ObservabilityAccessProps) {
    super(scope, id);
    const { labels, collector, agent, jaeger, loki, prometheus, grafana } = props;
    const namespace = collector.namespace;
    new NamespaceIsolation(this, 'Isolation', { namespace, labels, istioNamespace: props.istioNamespace, collector });
    new NamespaceIsolation(this, 'AgentIsolation', { namespace: agent.namespace, labels, istioNamespace: props.istioNamespace, collector });
    const scrapeFromPrometheus = prometheusScrapeRule(prometheus);

    const access = (id: string, endpoint: Endpoint, rules: Omit<WorkloadAccessProps, 'name' | 'namespace' | 'labels' | 'selector'>) =>
      new WorkloadAccess(this, id, { name: endpoint.name, namespace: endpoint.namespace, labels, selector: { ...endpoint.selector }, ...rules });

    // collector: OTLP gRPC from every meshed workload (the agent's logs included).
    access('Collector', collector, {
      authorization: [{ principals: [...new Set(props.tracingClients.map((c) => c.principal))].sort(), to: [{ ports: [port(collector.ports.otlpGrpc)] }] }],
      ingress: [{ peers: tracingPeers(props.tracingClients, namespace), ports: [{ port: collector.ports.otlpGrpc }] }, scrapeFromPrometheus],
      egress: [
        { peers: [endpointPeer(jaeger, namespace)], ports: [{ port: jaeger.ports.otlpGrpc }] },
        { peers: [endpointPeer(loki, namespace)], ports: [{ port: loki.ports.http }] },
      ],
    });

    // Jaeger: spans from the collector, queries from Grafana, writes to its external store.
    const store = props.traceStore;
    access('Jaeger', jaeger, {
      authorization: [
        { principals: [collector.principal], to: [{ ports: [port(jaeger.ports.otlpGrpc)] }] },
        { principals: [grafana.principal], to: [{ methods: ['GET'], ports: [port(jaeger.ports.query)] }] },
      ],
      ingress: [
        { peers: [endpointPeer(collector, namespace)], ports: [{ port: jaeger.ports.otlpGrpc }] },
        { peers: [endpointPeer(grafana, namespace)], ports: [{ port: jaeger.ports.query }] },
        scrapeFromPrometheus,
      ],
      ...(store ? { egress: [{ peers: store.cidrs.map((cidr) => ({ cidr })), ports: [{ port: store.port }] }] } : {}),
    });
    if (store) {
      // REGISTRY_ONLY: without the entry the sidecar sends Jaeger's connections to the BlackHole.
      // Jaeger speaks TLS itself (it verifies the certificate), so the sidecar passes it through by SNI.
      new ServiceEntry(this, 'TraceStoreEntry', { name: store.name, namespace, labels, hosts: [store.host], ports: [{ number: store.port, name: `tls-${store.port}`, protocol: 'TLS' }] });
    }

    // Loki: OTLP pushes from the collector, reads from Grafana.
    access('Loki', loki, {
      authorization: [
        { principals: [collector.principal], to: [{ methods: ['POST'], paths: ['/otlp/*'], ports: [port(loki.ports.http)] }] },
        { principals: [grafana.principal], to: [{ methods: ['GET', 'POST'], paths: ['/loki/api/*'], ports: [port(loki.ports.http)] }] },
      ],
      ingress: [
        { peers: [endpointPeer(collector, namespace)], ports: [{ port: loki.ports.http }] },
        { peers: [endpointPeer(grafana, namespace)], ports: [{ port: loki.ports.http }] },
        scrapeFromPrometheus,
      ],
    });

    // agent: to the Kubernetes API (k8sattributes). The API server is not a pod, so its rule names
    // only the ports (any address); the agent's OTLP egress is the namespace's allow-tracing.
    access('Agent', agent, { egress: [{ peers: [], ports: [{ port: 443 }, { port: 6443 }] }] });
  }
}

/** One peer per namespace of the clients: every pod there is meshed and traced. */
function tracingPeers(clients: readonly Pick<Endpoint, 'namespace'>[], policyNamespace: string): Peer[] {
  return [...new Set(clients.map((c) => c.namespace))].sort().map((ns) => (ns === policyNamespace ? { pods: {} } : { namespace: ns }));
}
