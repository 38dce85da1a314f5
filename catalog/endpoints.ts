import { selectorLabels } from '../components/common/labels';
import { meshPrincipal } from './principal';

/** Named TCP ports of a component, e.g. `{ client: 6379, bus: 16379 }`. */
export type PortMap = Readonly<Record<string, number>>;

/**
 * One workload as the others reach it, resolved once per environment: constructs and charts take
 * endpoints and never spell another component's name, namespace, port or FQDN.
 */
export interface Endpoint<P extends PortMap = PortMap> {
  /** Its Service, workload, ServiceAccount and `app.kubernetes.io/name`. */
  readonly name: string;
  readonly namespace: string;
  /** Its pods' selector labels (NetworkPolicy peers, AuthorizationPolicy selectors). */
  readonly selector: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  /** Its mesh identity, `cluster.local/ns/<namespace>/sa/<serviceAccount>`. */
  readonly principal: string;
  readonly ports: P;
  /** Its Service's cluster DNS name. */
  readonly host: string;
}

/** `host:port` of one of an endpoint's named ports. */
export function endpointAddress<P extends PortMap>(endpoint: Endpoint<P>, port: keyof P & string): string {
  return `${endpoint.host}:${endpoint.ports[port]}`;
}

/** `scheme://host:port[path]` of one of an endpoint's named ports. */
export function endpointUrl<P extends PortMap>(endpoint: Endpoint<P>, port: keyof P & string, scheme = 'http', path = ''): string {
  return `${scheme}://${endpointAddress(endpoint, port)}${path}`;
}

/**
 * The platform's own components: the one place their names and ports are spelled. Every chart,
 * construct and policy reads them from the model's endpoints; renaming one here renames every
 * reference (test/catalog/endpoints.test.ts shows it).
 */
export const PLATFORM_COMPONENTS = {
  /** `clientConfigMap`: written into the clients' namespace with `redis-url` and `redis-nodes`. */
  redisCluster: { name: 'redis-cluster', clientConfigMap: 'redis-config', ports: { client: 6379, bus: 16379 } },
  consul: { name: 'consul-server', ports: { http: 8500, server: 8300, serfLan: 8301, serfWan: 8302 } },
  consulKvSeed: { name: 'consul-kv-seed', ports: {} },
  collector: { name: 'otel-collector', ports: { otlpGrpc: 4317, otlpHttp: 4318, prometheus: 8889, health: 13133, selfMetrics: 8888 } },
  agent: { name: 'otel-agent', ports: { health: 13133 } },
  jaeger: { name: 'jaeger', ports: { otlpGrpc: 4317, query: 16686, queryGrpc: 16685, health: 13133, selfMetrics: 8888 } },
  loki: { name: 'loki', ports: { http: 3100, grpc: 9095 } },
  /** Kong; its name is the catalog's `implementation: kong` service. */
  kong: { ports: { proxy: 8000, proxyTls: 8443, status: 8100 } },
  rateLimitRedis: { name: 'rate-limit-redis', ports: { client: 6379 } },
} as const;

/**
 * What the platform relies on in every cluster without creating it: kube-prometheus's Prometheus
 * and Grafana (namespace `monitoring`), the cluster DNS, istiod, and the Kubernetes API server.
 * Their selectors are the upstream charts' pod labels.
 */
export const CLUSTER_WORKLOADS = {
  /** kube-prometheus: Service and ServiceAccount `prometheus-k8s`, pods `app.kubernetes.io/name: prometheus`. */
  prometheus: { name: 'prometheus-k8s', serviceAccount: 'prometheus-k8s', selector: { 'app.kubernetes.io/name': 'prometheus' }, ports: { web: 9090 } },
  /** kube-prometheus: `app.kubernetes.io/name: grafana`, ServiceAccount `grafana`. */
  grafana: { name: 'grafana', serviceAccount: 'grafana', selector: { 'app.kubernetes.io/name': 'grafana' }, ports: { http: 3000 } },
  /** CoreDNS keeps kube-dns's label and namespace for compatibility. */
  kubeDns: { name: 'kube-dns', namespace: 'kube-system', serviceAccount: 'coredns', selector: { 'k8s-app': 'kube-dns' }, ports: { dns: 53 } },
  /** istiod's chart labels its pods `app: istiod`; sidecars fetch config and certificates on 15012. */
  istiod: { name: 'istiod', serviceAccount: 'istiod', selector: { app: 'istiod' }, ports: { xds: 15012 } },
  /** The API server is no pod: reached by address on 443 (Service `kubernetes`) or 6443 (endpoints). */
  apiServer: { name: 'kubernetes', namespace: 'default', ports: { https: 443, endpoint: 6443 } },
} as const;

/** A host outside the cluster that a component must reach (the catalog names it). */
export interface ExternalEndpoint {
  /** Names the ServiceEntry and the rules. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Where the host's addresses lie; `0.0.0.0/0` when the catalog does not narrow it. */
  readonly cidrs: readonly string[];
  /** The workload that connects to it. */
  readonly client: Endpoint;
  readonly reason: string;
}

/** Every endpoint of one environment. Optional ones exist only when the catalog has that component. */
export interface PlatformEndpoints {
  readonly redisCluster?: Endpoint<typeof PLATFORM_COMPONENTS.redisCluster.ports>;
  readonly consul?: Endpoint<typeof PLATFORM_COMPONENTS.consul.ports>;
  readonly consulKvSeed?: Endpoint<typeof PLATFORM_COMPONENTS.consulKvSeed.ports>;
  readonly collector: Endpoint<typeof PLATFORM_COMPONENTS.collector.ports>;
  readonly agent: Endpoint<typeof PLATFORM_COMPONENTS.agent.ports>;
  readonly jaeger: Endpoint<typeof PLATFORM_COMPONENTS.jaeger.ports>;
  readonly loki: Endpoint<typeof PLATFORM_COMPONENTS.loki.ports>;
  readonly gateway?: Endpoint<typeof PLATFORM_COMPONENTS.kong.ports>;
  readonly rateLimitRedis?: Endpoint<typeof PLATFORM_COMPONENTS.rateLimitRedis.ports>;
  readonly prometheus: Endpoint<typeof CLUSTER_WORKLOADS.prometheus.ports>;
  readonly grafana: Endpoint<typeof CLUSTER_WORKLOADS.grafana.ports>;
  readonly kubeDns: Endpoint<typeof CLUSTER_WORKLOADS.kubeDns.ports>;
  readonly istiod: Endpoint<typeof CLUSTER_WORKLOADS.istiod.ports>;
  /** Hosts outside the cluster, sorted by name. */
  readonly external: readonly ExternalEndpoint[];
  /** Every workload the platform runs (services and components), sorted by namespace then name: all meshed. */
  readonly workloads: readonly Endpoint[];
}

/** An endpoint of one of the platform's own workloads: selector from the standard labels. */
export function componentEndpoint<P extends PortMap>(name: string, namespace: string, instance: string, ports: P): Endpoint<P> {
  return clusterEndpoint({ name, serviceAccount: name, selector: selectorLabels({ name, instance }), ports }, namespace);
}

/** An endpoint from its identity (a workload the cluster provides, or one of ours): principal and host derived. */
export function clusterEndpoint<P extends PortMap>(
  entry: { readonly name: string; readonly serviceAccount: string; readonly selector: Readonly<Record<string, string>>; readonly ports: P },
  namespace: string,
): Endpoint<P> {
  return { ...entry, namespace, principal: meshPrincipal(namespace, entry.serviceAccount), host: serviceHost(entry.name, namespace) };
}

/** A Service's cluster DNS name. */
export function serviceHost(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.cluster.local`;
}
