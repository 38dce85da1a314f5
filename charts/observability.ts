import { Construct } from 'constructs';
import { scaleCpu, scaleMemory } from '../catalog/quantity';
import { LAYERS, type PlatformModel } from '../catalog';
import { standardLabels } from '../components/common';
import {
  grafanaDatasources,
  GrafanaProvisioning,
  Jaeger,
  Loki,
  ObservabilityAccess,
  OtelAgent,
  OtelCollector,
  platformDashboard,
  PodMonitor,
  PrometheusRule,
  redisAlertRules,
  seedAlertRules,
  sloRules,
} from '../components/observability';
import type { ContainerResources } from '../components/workload';
import { PlatformChart } from './platform-chart';
import { usedDependencies } from '../catalog/dependencies';
import { endpointAddress, endpointUrl } from '../catalog/endpoints';

/** The label kube-prometheus's Prometheus `k8s` selects PodMonitors and PrometheusRules by (README "Telemetry"). */
export const PROMETHEUS_SELECTOR_LABEL = { prometheus: 'k8s' } as const;

/** Container sizes of the telemetry components before the environment's resource scale. */
const SIZES: Record<'collector' | 'agent' | 'jaeger' | 'loki', ContainerResources> = {
  collector: { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  agent: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  jaeger: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  loki: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } },
};

/**
 * Telemetry, in `suoke-observability-<env>` (the agent in its own `-agent-` namespace): the gateway
 * collector, the log agent, Jaeger v2, Loki 3, the Prometheus Operator objects (PodMonitors,
 * PrometheusRule with the seed alerts and the catalog's SLOs), Grafana dashboards and datasources,
 * and the namespace's access rules. One file per component.
 */
export class ObservabilityChart extends PlatformChart {
  constructor(scope: Construct, model: PlatformModel) {
    super(scope, 'observability', model);
    const t = model.telemetry;
    const namespace = model.namespaces.observability;
    const partOf = model.platform.name;
    const instance = this.instance;
    const size = (r: ContainerResources): ContainerResources => ({
      requests: { cpu: scaleCpu(r.requests.cpu, t.resourceScale), memory: scaleMemory(r.requests.memory, t.resourceScale) },
      limits: { cpu: scaleCpu(r.limits.cpu, t.resourceScale), memory: scaleMemory(r.limits.memory, t.resourceScale) },
    });
    const { endpoints } = model;

    const jaeger = new Jaeger(this, endpoints.jaeger.name, { name: endpoints.jaeger.name, namespace, instance, partOf, image: t.images.jaeger, version: t.versions.jaeger, resources: size(SIZES.jaeger), storage: t.jaegerStorage, retentionHours: t.retention.tracesHours });
    const loki = new Loki(this, endpoints.loki.name, { name: endpoints.loki.name, namespace, instance, partOf, image: t.images.loki, version: t.versions.loki, resources: size(SIZES.loki), storage: t.lokiStorage, retentionHours: t.retention.logsHours, limits: t.lokiLimits });
    const collector = new OtelCollector(this, endpoints.collector.name, {
      name: endpoints.collector.name,
      namespace,
      instance,
      partOf,
      image: t.images.collector,
      version: t.versions.collector,
      resources: size(SIZES.collector),
      replicas: t.collectorReplicas,
      pipeline: {
        environment: model.environment,
        serviceNamespace: partOf,
        appsNamespace: model.namespaces.apps,
        jaegerOtlpEndpoint: endpointAddress(endpoints.jaeger, 'otlpGrpc'),
        lokiOtlpEndpoint: endpointUrl(endpoints.loki, 'http', 'http', '/otlp'),
        lokiTenant: t.tenant,
        metricNamespace: partOf.replace(/-/g, '_'),
      },
    });
    new OtelAgent(this, endpoints.agent.name, {
      name: endpoints.agent.name,
      namespace: endpoints.agent.namespace,
      instance,
      partOf,
      image: t.images.collector,
      version: t.versions.collector,
      resources: size(SIZES.agent),
      gatewayEndpoint: endpointAddress(endpoints.collector, 'otlpGrpc'),
    });

    const monitoringLabels = { ...standardLabels({ name: 'prometheus-rules', instance, component: 'telemetry', partOf }), ...PROMETHEUS_SELECTOR_LABEL };
    new PrometheusRule(this, 'prometheus-rules', {
      name: `${partOf}-alerts`,
      namespace,
      labels: monitoringLabels,
      groups: [seedAlertRules(), redisAlertRules({ clusterService: endpoints.redisCluster?.name }), ...model.services.filter((s) => s.ports.http !== undefined).map((s) => sloRules(s.name, s.slo))],
    });

    // one file for every PodMonitor
    const monitors = new Construct(this, 'pod-monitors');
    const monitorLabels = { ...standardLabels({ name: 'pod-monitors', instance, component: 'telemetry', partOf }), ...PROMETHEUS_SELECTOR_LABEL };
    const byName = (name: string) => ({ matchLabels: { 'app.kubernetes.io/name': name } });
    new PodMonitor(monitors, 'services', {
      name: 'suoke-services',
      namespace,
      labels: monitorLabels,
      targetNamespaces: [model.namespaces.apps],
      selector: {
        matchLabels: { 'app.kubernetes.io/part-of': partOf },
        ...(endpoints.gateway ? { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'NotIn' as const, values: [endpoints.gateway.name] }] } : {}),
      },
      interval: '10s',
    });
    if (endpoints.gateway) {
      const gateway = endpoints.gateway;
      new PodMonitor(monitors, gateway.name, { name: gateway.name, namespace, labels: monitorLabels, targetNamespaces: [gateway.namespace], selector: byName(gateway.name), interval: '10s' });
    }
    // a shared component is scraped once some service uses it (catalog/dependencies.ts).
    const used = usedDependencies(model, [...new Set(model.services.flatMap((s) => s.uses))]);
    for (const { dependency, endpoint } of used) {
      new PodMonitor(monitors, dependency, { name: endpoint.name, namespace, labels: monitorLabels, targetNamespaces: [endpoint.namespace], selector: byName(endpoint.name) });
    }
    new PodMonitor(monitors, 'telemetry', {
      name: 'telemetry',
      namespace,
      labels: monitorLabels,
      targetNamespaces: [namespace],
      selector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [collector.name, jaeger.name, loki.name] }] },
    });

    // one row per layer, in the catalog's layer order.
    const layers = new Map(LAYERS.map((layer) => [layer, model.services.filter((s) => s.layer === layer).map((s) => s.name)] as const).filter(([, names]) => names.length > 0));
    new GrafanaProvisioning(this, 'grafana-dashboards', {
      namespace,
      labels: standardLabels({ name: 'grafana', instance, component: 'telemetry', partOf }),
      dashboards: {
        'suoke-platform.json': platformDashboard({
          title: `Suoke platform (${model.environment})`,
          uid: `suoke-platform-${model.environment}`,
          layers,
          agents: model.services.filter((s) => s.layer === 'agents').map((s) => s.name),
          redisService: endpoints.redisCluster?.name,
        }),
      },
      datasources: grafanaDatasources({
        prometheusUrl: endpointUrl(endpoints.prometheus, 'web'),
        jaegerUrl: endpointUrl(endpoints.jaeger, 'query'),
        lokiUrl: endpointUrl(endpoints.loki, 'http'),
        lokiTenant: t.tenant,
      }),
    });

    new ObservabilityAccess(this, 'access', {
      labels: standardLabels({ name: 'observability-access', instance, component: 'telemetry', partOf }),
      istioNamespace: model.namespaces.istioRoot,
      collector: endpoints.collector,
      agent: endpoints.agent,
      jaeger: endpoints.jaeger,
      loki: endpoints.loki,
      tracingClients: endpoints.workloads,
      prometheus: endpoints.prometheus,
      grafana: endpoints.grafana,
      ...(endpoints.external.length > 0 ? { traceStore: endpoints.external.find((e) => e.client === endpoints.jaeger) } : {}),
    });
  }
}
