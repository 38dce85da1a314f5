import { Construct } from 'constructs';
import type { PlatformModel, ServiceModel } from '../catalog';
import type { PlatformDependency } from '../catalog/schema';
import { appSelector, standardLabels } from '../components/common';
import { NamespaceIsolation, NetworkAccess, PeerAuthentication, ServiceAccess, type NetworkRule } from '../components/mesh';
import { PlatformChart } from './platform-chart';
import { prometheusScrapeRule } from '../components/mesh/prometheus-scrape';

/** The sidecar's merged Prometheus endpoint (app and Envoy metrics), served by pilot-agent in plain text. */
/** OTLP gRPC and HTTP on the collector. */
export const OTLP_PORTS = [4317, 4318];

/** Pods and port of the shared data services a catalog service `uses`, in the data namespace. */
export const PLATFORM_DEPENDENCY_ENDPOINTS: Record<PlatformDependency, { readonly pods: Record<string, string>; readonly port: number }> = {
  redis: { pods: { 'app.kubernetes.io/name': 'redis-cluster' }, port: 6379 },
  consul: { pods: { 'app.kubernetes.io/name': 'consul-server' }, port: 8500 },
};

/**
 * Mesh policy of one environment, all derived from the catalog's call graph:
 * - `mtls.yaml`: STRICT mTLS mesh-wide (root namespace) and in each platform namespace;
 * - `<apps namespace>.yaml`: default deny (allow-nothing, deny-all NetworkPolicy, DNS and istiod
 *   egress), telemetry egress to the collector and Prometheus's scrapes on 15020;
 * - `<service>.yaml`: the service's ALLOW policy (its callers) and NetworkPolicy (callers in,
 *   callees and data services out).
 * The data and observability namespaces' own isolation belongs to their charts.
 */
export class MeshChart extends PlatformChart {
  constructor(scope: Construct, model: PlatformModel) {
    super(scope, 'mesh', model);
    const { apps, data, observability, istioRoot, monitoring } = model.namespaces;
    const labels = (name: string) => standardLabels({ name, instance: this.instance, component: 'mesh', partOf: model.platform.name });

    const mtls = new Construct(this, 'mtls');
    new PeerAuthentication(mtls, istioRoot, { namespace: istioRoot, labels: labels('mesh-mtls') });
    for (const namespace of [apps, data, observability].sort()) {
      new PeerAuthentication(mtls, namespace, { namespace, labels: labels(namespace) });
    }

    const namespace = new Construct(this, apps);
    new NamespaceIsolation(namespace, 'isolation', { namespace: apps, istioNamespace: istioRoot, labels: labels(apps) });
    new NetworkAccess(namespace, 'telemetry', {
      name: 'allow-telemetry',
      namespace: apps,
      labels: labels(apps),
      podSelector: {},
      // Prometheus scrapes the sidecar's merged metrics; pilot-agent serves them outside mTLS and
      // AuthorizationPolicy, so only this NetworkPolicy decides who may scrape.
      ingress: [prometheusScrapeRule(monitoring)],
      // workloads and their sidecars (spans from the extension provider) send OTLP to the collector.
      egress: [{ peers: [{ namespace: observability, pods: { 'app.kubernetes.io/name': 'otel-collector' } }], ports: OTLP_PORTS.map((port) => ({ port })) }],
    });

    const byName = new Map(model.services.map((s) => [s.name, s]));
    // by app name, so a canary track (another instance) is covered like the stable one.
    const pods = (name: string) => appSelector(name);
    for (const service of model.services) {
      const egress: NetworkRule[] = [
        ...service.calls.map((call) => ({ peers: [{ pods: pods(call.callee) }], ports: portsOf(byName.get(call.callee)!).map((port) => ({ port })) })),
        ...service.uses.map((dependency) => {
          const endpoint = PLATFORM_DEPENDENCY_ENDPOINTS[dependency];
          return { peers: [{ namespace: data, pods: endpoint.pods }], ports: [{ port: endpoint.port }] };
        }),
      ];
      if (service.callers.length === 0 && egress.length === 0) continue;
      new ServiceAccess(this, service.name, {
        name: service.name,
        namespace: service.namespace,
        labels: labels(service.name),
        selector: pods(service.name),
        ports: portsOf(service),
        callers: service.callers.map((edge) => ({ principal: edge.callerPrincipal, pods: pods(edge.caller), methods: edge.methods, paths: edge.paths })),
        egress,
      });
    }
  }
}

function portsOf(service: ServiceModel): number[] {
  return [service.ports.http, service.ports.grpc].filter((p): p is number => p !== undefined);
}
