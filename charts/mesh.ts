import { Construct } from 'constructs';
import type { PlatformModel } from '../catalog';
import { usedDependencies } from '../catalog/dependencies';
import { appSelector, standardLabels } from '../components/common';
import { NamespaceIsolation, NetworkAccess, PeerAuthentication, ServiceAccess, type NetworkRule } from '../components/mesh';
import { endpointPeer } from '../components/mesh/network-access';
import { PlatformChart } from './platform-chart';
import { prometheusScrapeRule } from '../components/mesh/prometheus-scrape';

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
    const { apps, data, observability, istioRoot } = model.namespaces;
    const { collector, prometheus } = model.endpoints;
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
      ingress: [prometheusScrapeRule(prometheus)],
      // workloads and their sidecars (spans from the extension provider) send OTLP over gRPC to the collector.
      egress: [{ peers: [endpointPeer(collector, apps)], ports: [{ port: collector.ports.otlpGrpc }] }],
    });

    const byName = new Map(model.services.map((s) => [s.name, s]));
    // by app name, so a canary track (another instance) is covered like the stable one.
    const pods = (name: string) => appSelector(name);
    for (const service of model.services) {
      const egress: NetworkRule[] = [
        // calls are HTTP (methods and paths): only the callee's HTTP port.
        ...service.calls.flatMap((call) => {
          const port = byName.get(call.callee)!.ports.http;
          return port === undefined ? [] : [{ peers: [{ pods: pods(call.callee) }], ports: [{ port }] }];
        }),
        ...usedDependencies(model, service.uses).map((d) => ({ peers: [endpointPeer(d.endpoint, service.namespace)], ports: [{ port: d.port }] })),
      ];
      if (service.callers.length === 0 && egress.length === 0) continue;
      new ServiceAccess(this, service.name, {
        name: service.name,
        namespace: service.namespace,
        labels: labels(service.name),
        selector: pods(service.name),
        ports: service.ports.http === undefined ? [] : [service.ports.http],
        callers: service.callers.map((edge) => ({ principal: edge.callerPrincipal, pods: pods(edge.caller), methods: edge.methods, paths: edge.paths })),
        egress,
      });
    }
  }
}

