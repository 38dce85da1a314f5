import { CLUSTER_WORKLOADS, clusterEndpoint, componentEndpoint, PLATFORM_COMPONENTS, type Endpoint, type ExternalEndpoint, type PlatformEndpoints } from '../endpoints';
import type { JaegerStorageModel, Namespaces, ServiceModel } from '../model';

/** What the endpoints of one environment depend on in the resolved catalog. */
export interface EndpointInputs {
  readonly namespaces: Namespaces;
  /** `<platform>-<environment>`, the `app.kubernetes.io/instance` of every object. */
  readonly instance: string;
  readonly agentNamespace: string;
  readonly services: readonly ServiceModel[];
  readonly hasRedis: boolean;
  readonly hasConsul: boolean;
  /** Whether a route keeps its rate-limit counters in Redis. */
  readonly usesRateLimitRedis: boolean;
  readonly jaegerStorage: JaegerStorageModel;
}

/** Every endpoint of one environment, from the catalog's components and the cluster's. */
export function resolveEndpoints(input: EndpointInputs): PlatformEndpoints {
  const { namespaces: ns, instance } = input;
  const own = <P extends Readonly<Record<string, number>>>(name: string, namespace: string, ports: P) => componentEndpoint(name, namespace, instance, ports);
  const gatewayService = input.services.find((s) => s.implementation === 'kong');
  const jaeger = own(PLATFORM_COMPONENTS.jaeger.name, ns.observability, PLATFORM_COMPONENTS.jaeger.ports);
  const endpoints = {
    ...(input.hasRedis ? { redisCluster: own(PLATFORM_COMPONENTS.redisCluster.name, ns.data, PLATFORM_COMPONENTS.redisCluster.ports) } : {}),
    ...(input.hasConsul
      ? {
          consul: own(PLATFORM_COMPONENTS.consul.name, ns.data, PLATFORM_COMPONENTS.consul.ports),
          consulKvSeed: own(PLATFORM_COMPONENTS.consulKvSeed.name, ns.data, PLATFORM_COMPONENTS.consulKvSeed.ports),
        }
      : {}),
    collector: own(PLATFORM_COMPONENTS.collector.name, ns.observability, PLATFORM_COMPONENTS.collector.ports),
    agent: own(PLATFORM_COMPONENTS.agent.name, input.agentNamespace, PLATFORM_COMPONENTS.agent.ports),
    jaeger,
    loki: own(PLATFORM_COMPONENTS.loki.name, ns.observability, PLATFORM_COMPONENTS.loki.ports),
    ...(gatewayService ? { gateway: own(gatewayService.name, gatewayService.namespace, PLATFORM_COMPONENTS.kong.ports) } : {}),
    ...(gatewayService && input.usesRateLimitRedis
      ? { rateLimitRedis: own(PLATFORM_COMPONENTS.rateLimitRedis.name, gatewayService.namespace, PLATFORM_COMPONENTS.rateLimitRedis.ports) }
      : {}),
    prometheus: clusterEndpoint(CLUSTER_WORKLOADS.prometheus, ns.monitoring),
    grafana: clusterEndpoint(CLUSTER_WORKLOADS.grafana, ns.monitoring),
    kubeDns: clusterEndpoint(CLUSTER_WORKLOADS.kubeDns, CLUSTER_WORKLOADS.kubeDns.namespace),
    istiod: clusterEndpoint(CLUSTER_WORKLOADS.istiod, ns.istioRoot),
    external: traceStore(input.jaegerStorage, jaeger),
  };
  const { redisCluster, consul, consulKvSeed, collector, agent, loki, gateway, rateLimitRedis } = endpoints;
  // the generic workload runs every service with an image and an HTTP port; Kong runs api-gateway.
  const services = input.services
    .filter((s) => !s.implementation && s.image !== undefined && s.ports.http !== undefined)
    .map((s) => own(s.name, s.namespace, { ...(s.ports.http !== undefined ? { http: s.ports.http } : {}), ...(s.ports.grpc !== undefined ? { grpc: s.ports.grpc } : {}) }));
  const workloads = [...services, redisCluster, consul, consulKvSeed, collector, agent, jaeger, loki, gateway, rateLimitRedis].filter((e): e is Endpoint => e !== undefined);
  return { ...endpoints, workloads: workloads.sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1)) };
}

/** Jaeger's external Elasticsearch/OpenSearch, when the environment stores traces there. */
function traceStore(storage: JaegerStorageModel, jaeger: Endpoint): ExternalEndpoint[] {
  if (storage.backend !== 'elasticsearch' && storage.backend !== 'opensearch') return [];
  const url = new URL(storage.url);
  return [
    {
      name: `jaeger-${storage.backend}`,
      host: url.hostname,
      // the catalog only admits https URLs (catalog/schema/telemetry.ts jaegerStorage)
      port: url.port ? Number(url.port) : 443,
      cidrs: storage.cidrs ?? ['0.0.0.0/0'],
      client: jaeger,
      reason: `Jaeger stores traces in ${storage.backend}`,
    },
  ];
}
