import { canaryName } from '../../components/workload/canary-deployment';
import { ISTIO_MERGED_METRICS } from '../../components/mesh/prometheus-scrape';
import { usedDependencies } from '../../catalog/dependencies';
import { CLUSTER_WORKLOADS, type Endpoint } from '../../catalog/endpoints';
import type { PlatformModel } from '../../catalog/model';

export type Protocol = 'TCP' | 'UDP';

/** A host outside the cluster (e.g. Elasticsearch), reached by name. */
export interface ExternalHost {
  readonly host: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly cidrs: readonly string[];
}

/** The HTTP requests a connection makes; paths may end in `/*` (prefix). */
export interface HttpRequests {
  readonly methods: readonly string[];
  readonly paths: readonly string[];
}

/** One connection the platform needs to work, with the reason it exists. */
export interface RequiredConnection {
  /** Workload id, `<namespace>/<name>` (an outside workload's id, e.g. `internet`, likewise). */
  readonly from: string;
  readonly to: { readonly workload: string } | { readonly external: ExternalHost };
  /** The destination pod's port. */
  readonly port: number;
  readonly protocol: Protocol;
  /** The HTTP requests made, when they are all that is needed; absent: anything on the port. */
  readonly http?: HttpRequests;
  readonly reason: string;
}

/** Why a connection exists, for grouping in CONNECTIVITY.md. */
export const CONNECTION_GROUPS = ['calls', 'public entry', 'uses', 'telemetry', 'peers', 'external', 'monitoring', 'cluster services'] as const;
export type ConnectionGroup = (typeof CONNECTION_GROUPS)[number];

export interface GroupedConnection extends RequiredConnection {
  readonly group: ConnectionGroup;
}

/** A workload the platform relies on but does not run, as the analyser sees it. */
export interface OutsideWorkload {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly kind: 'External';
  readonly podLabels: Readonly<Record<string, string>>;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly serviceAccount?: string;
  readonly principal?: string;
  readonly meshed: boolean;
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly protocol: Protocol }[];
  readonly excludedInboundPorts: readonly number[];
  readonly addresses?: readonly string[];
}

/** Clients on the internet, reaching the public entry point. */
export const INTERNET = 'internet';
/** The Kubernetes API server (no pod: reached by address). */
export const API_SERVER = `${CLUSTER_WORKLOADS.apiServer.namespace}/${CLUSTER_WORKLOADS.apiServer.name}`;

export const workloadId = (e: Pick<Endpoint, 'namespace' | 'name'>) => `${e.namespace}/${e.name}`;

/** Prometheus, Grafana, the cluster DNS, istiod, the API server and the internet, for the analyser. */
export function outsideWorkloads(model: PlatformModel): OutsideWorkload[] {
  const { prometheus, grafana, kubeDns, istiod } = model.endpoints;
  // kube-prometheus runs Prometheus and Grafana unmeshed; they need a sidecar to reach STRICT ports
  // (Grafana does, README "Telemetry"): they are modelled as deployed there, with their identity.
  const inCluster = (e: Endpoint, meshed: boolean, ports: OutsideWorkload['ports']): OutsideWorkload => ({
    id: workloadId(e),
    namespace: e.namespace,
    name: e.name,
    kind: 'External',
    podLabels: { ...e.selector },
    namespaceLabels: { 'kubernetes.io/metadata.name': e.namespace },
    serviceAccount: e.serviceAccount,
    ...(meshed ? { principal: e.principal } : {}),
    meshed,
    ports,
    excludedInboundPorts: [],
  });
  const tcp = (port: number) => ({ port, protocol: 'TCP' as const });
  const nowhere = (id: string, ports: OutsideWorkload['ports'], addresses: string[]): OutsideWorkload => ({
    id,
    namespace: '',
    name: id,
    kind: 'External',
    podLabels: {},
    namespaceLabels: {},
    meshed: false,
    ports,
    excludedInboundPorts: [],
    addresses,
  });
  return [
    inCluster(prometheus, false, [tcp(prometheus.ports.web)]),
    inCluster(grafana, true, [tcp(grafana.ports.http)]),
    inCluster(kubeDns, false, [{ port: kubeDns.ports.dns, protocol: 'UDP' }, tcp(kubeDns.ports.dns)]),
    inCluster(istiod, false, [tcp(istiod.ports.xds)]),
    { ...nowhere(API_SERVER, [tcp(CLUSTER_WORKLOADS.apiServer.ports.https), tcp(CLUSTER_WORKLOADS.apiServer.ports.endpoint)], []), namespace: CLUSTER_WORKLOADS.apiServer.namespace },
    nowhere(INTERNET, [], ['0.0.0.0/0']),
  ];
}

/**
 * Every connection the platform needs in one environment, derived from the catalog (calls, uses,
 * routes, storage) and the endpoints, each with its reason. The policies must open exactly these
 * (test/review/connectivity/platform.test.ts proves it over the synthesized objects).
 */
export function requiredConnections(model: PlatformModel): GroupedConnection[] {
  const out: GroupedConnection[] = [];
  const add = (group: ConnectionGroup, from: string, to: Pick<Endpoint, 'namespace' | 'name'> | string, port: number, reason: string, extra: Partial<RequiredConnection> = {}) =>
    out.push({ group, from, to: { workload: typeof to === 'string' ? to : workloadId(to) }, port, protocol: 'TCP', reason, ...extra });
  const e = model.endpoints;
  const services = new Map(model.services.map((s) => [s.name, s]));
  const serviceId = (name: string) => `${services.get(name)!.namespace}/${name}`;

  // catalog calls (the gateway's included: its calls are its routes), HTTP only.
  for (const edge of model.edges) {
    const port = services.get(edge.callee)?.ports.http;
    if (port === undefined) continue;
    add('calls', serviceId(edge.caller), serviceId(edge.callee), port, `${edge.caller} calls ${edge.callee}`, { http: { methods: edge.methods, paths: edge.paths } });
  }
  if (e.gateway) {
    // the public entry admits every client: the internet, and pods outside the platform's namespaces
    // (whose own egress this platform does not restrict) like any other client.
    const clients = [INTERNET, ...outsideWorkloads(model).filter((w) => w.id !== INTERNET).map((w) => w.id)];
    for (const from of clients) {
      for (const port of [e.gateway.ports.proxy, e.gateway.ports.proxyTls]) add('public entry', from, e.gateway, port, `clients reach the public routes on ${e.gateway.name}`);
    }
    if (e.rateLimitRedis) add('uses', workloadId(e.gateway), e.rateLimitRedis, e.rateLimitRedis.ports.client, `${e.gateway.name} keeps rate-limit counters in ${e.rateLimitRedis.name}`);
  }
  for (const service of model.services) {
    for (const d of usedDependencies(model, service.uses)) add('uses', serviceId(service.name), d.endpoint, d.port, `${service.name} uses ${d.dependency}`);
  }

  // telemetry: every sidecar exports spans (Istio's tracing provider); the pipeline downstream.
  for (const w of e.workloads) {
    const what = w === e.agent ? 'ships container logs and its sidecar exports spans' : 'its sidecar exports spans';
    add('telemetry', workloadId(w), e.collector, e.collector.ports.otlpGrpc, `${w.name}: ${what} to the collector`);
  }
  add('telemetry', workloadId(e.collector), e.jaeger, e.jaeger.ports.otlpGrpc, 'the collector sends traces to Jaeger');
  add('telemetry', workloadId(e.collector), e.loki, e.loki.ports.http, 'the collector pushes logs to Loki', { http: { methods: ['POST'], paths: ['/otlp/*'] } });
  add('telemetry', workloadId(e.grafana), e.jaeger, e.jaeger.ports.query, 'Grafana queries traces', { http: { methods: ['GET'], paths: ['*'] } });
  add('telemetry', workloadId(e.grafana), e.loki, e.loki.ports.http, 'Grafana queries logs', { http: { methods: ['GET', 'POST'], paths: ['/loki/api/*'] } });
  add('cluster services', workloadId(e.agent), API_SERVER, CLUSTER_WORKLOADS.apiServer.ports.https, `${e.agent.name} reads pod metadata (k8sattributes)`);
  add('cluster services', workloadId(e.agent), API_SERVER, CLUSTER_WORKLOADS.apiServer.ports.endpoint, `${e.agent.name} reads pod metadata (k8sattributes), API endpoint port`);

  // members of the stateful components talk to each other.
  if (e.redisCluster) {
    for (const port of [e.redisCluster.ports.client, e.redisCluster.ports.bus]) add('peers', workloadId(e.redisCluster), e.redisCluster, port, `${e.redisCluster.name} members replicate, gossip and form the cluster`);
  }
  if (e.consul) {
    const c = e.consul;
    add('peers', workloadId(c), c, c.ports.server, `${c.name} servers replicate (raft)`);
    for (const port of [c.ports.serfLan, c.ports.serfWan]) {
      for (const protocol of ['TCP', 'UDP'] as const) add('peers', workloadId(c), c, port, `${c.name} servers gossip (serf)`, { protocol });
    }
    if (e.consulKvSeed) add('peers', workloadId(e.consulKvSeed), c, c.ports.http, `${e.consulKvSeed.name} writes the catalog's config to KV`);
  }

  for (const x of e.external) {
    out.push({ group: 'external', from: workloadId(x.client), to: { external: { host: x.host, port: x.port, protocol: 'TCP', cidrs: x.cidrs } }, port: x.port, protocol: 'TCP', reason: x.reason });
  }

  // Prometheus scrapes the sidecars' merged metrics of everything its PodMonitors select.
  const scraped = [
    ...e.workloads.filter((w) => w.namespace === model.namespaces.apps),
    ...usedDependencies(model, [...new Set(model.services.flatMap((s) => s.uses))]).map((d) => d.endpoint),
    e.collector,
    e.jaeger,
    e.loki,
  ];
  for (const w of scraped) add('monitoring', workloadId(e.prometheus), w, ISTIO_MERGED_METRICS.port, `Prometheus scrapes ${w.name}`);

  // every pod resolves names; every sidecar fetches config and certificates from istiod.
  for (const w of e.workloads) {
    add('cluster services', workloadId(w), e.kubeDns, e.kubeDns.ports.dns, `${w.name} resolves names`, { protocol: 'UDP' });
    add('cluster services', workloadId(w), e.kubeDns, e.kubeDns.ports.dns, `${w.name} resolves names (TCP fallback)`);
    add('cluster services', workloadId(w), e.istiod, e.istiod.ports.xds, `${w.name}'s sidecar gets config and certificates`);
  }
  return [...out, ...canaryTracks(model, out)];
}

/**
 * A service's canary (environments.<env>.canaries) is another Deployment of the same app with the
 * same identity and policies: it needs every connection its stable track needs, in and out.
 */
function canaryTracks(model: PlatformModel, connections: readonly GroupedConnection[]): GroupedConnection[] {
  const tracks = new Map(model.services.filter((s) => s.canary).map((s) => [`${s.namespace}/${s.name}`, `${s.namespace}/${canaryName(s.name)}`]));
  return connections.flatMap((c) => {
    const to = 'workload' in c.to ? tracks.get(c.to.workload) : undefined;
    const from = tracks.get(c.from);
    return [
      ...(from ? [{ ...c, from, reason: `${c.reason} (canary track)` }] : []),
      ...(to ? [{ ...c, to: { workload: to }, reason: `${c.reason} (canary track)` }] : []),
    ];
  });
}
