import { Construct } from 'constructs';
import { scaleCpu, scaleMemory } from '../catalog/quantity';
import { LAYERS, type PlatformModel } from '../catalog';
import { standardLabels } from '../components/common';
import {
  COLLECTOR_PORTS,
  grafanaDatasources,
  GrafanaProvisioning,
  Jaeger,
  JAEGER_PORTS,
  Loki,
  LOKI_PORTS,
  ObservabilityAccess,
  OtelAgent,
  OtelCollector,
  platformDashboard,
  PodMonitor,
  PrometheusRule,
  redisAlertRules,
  seedAlertRules,
  sloRules,
  type ContainerResources,
} from '../components/observability';
import { REDIS_CLUSTER_NAME } from '../components/data/redis-cluster';
import { PlatformChart } from './platform-chart';
import { meshPrincipal as principal } from '../catalog/principal';

/** The label kube-prometheus's Prometheus `k8s` selects PodMonitors and PrometheusRules by (README "Telemetry"). */
export const PROMETHEUS_SELECTOR_LABEL = { prometheus: 'k8s' } as const;
/** kube-prometheus's Prometheus and Grafana, in the `monitoring` namespace. */
export const PROMETHEUS_ACCOUNT = 'prometheus-k8s';
export const GRAFANA_ACCOUNT = 'grafana';

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
    const svc = (name: string, port: number) => `${name}.${namespace}.svc.cluster.local:${port}`;

    const jaeger = new Jaeger(this, 'jaeger', { namespace, instance, partOf, image: t.images.jaeger, version: t.versions.jaeger, resources: size(SIZES.jaeger), storage: t.jaegerStorage, retentionHours: t.retention.tracesHours });
    const loki = new Loki(this, 'loki', { namespace, instance, partOf, image: t.images.loki, version: t.versions.loki, resources: size(SIZES.loki), storage: t.lokiStorage, retentionHours: t.retention.logsHours, limits: t.lokiLimits });
    const collector = new OtelCollector(this, 'otel-collector', {
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
        jaegerOtlpEndpoint: svc(jaeger.name, JAEGER_PORTS.otlpGrpc),
        lokiOtlpEndpoint: `http://${svc(loki.name, LOKI_PORTS.http)}/otlp`,
        lokiTenant: t.tenant,
        metricNamespace: partOf.replace(/-/g, '_'),
      },
    });
    const agent = new OtelAgent(this, 'otel-agent', {
      namespace: t.agentNamespace,
      instance,
      partOf,
      image: t.images.collector,
      version: t.versions.collector,
      resources: size(SIZES.agent),
      gatewayEndpoint: svc(collector.name, COLLECTOR_PORTS.otlpGrpc),
    });

    const monitoringLabels = { ...standardLabels({ name: 'prometheus-rules', instance, component: 'telemetry', partOf }), ...PROMETHEUS_SELECTOR_LABEL };
    new PrometheusRule(this, 'prometheus-rules', {
      name: `${partOf}-alerts`,
      namespace,
      labels: monitoringLabels,
      groups: [seedAlertRules(), redisAlertRules({ clusterService: model.redis ? REDIS_CLUSTER_NAME : undefined }), ...model.services.filter((s) => s.ports.http !== undefined).map((s) => sloRules(s.name, s.slo))],
    });

    const monitors = new PodMonitorsGroup(this, 'pod-monitors');
    const monitorLabels = { ...standardLabels({ name: 'pod-monitors', instance, component: 'telemetry', partOf }), ...PROMETHEUS_SELECTOR_LABEL };
    const byName = (name: string) => ({ matchLabels: { 'app.kubernetes.io/name': name } });
    new PodMonitor(monitors, 'services', {
      name: 'suoke-services',
      namespace,
      labels: monitorLabels,
      targetNamespaces: [model.namespaces.apps],
      selector: { matchLabels: { 'app.kubernetes.io/part-of': partOf }, matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'NotIn', values: ['api-gateway'] }] },
      interval: '10s',
    });
    new PodMonitor(monitors, 'api-gateway', { name: 'api-gateway', namespace, labels: monitorLabels, targetNamespaces: [model.namespaces.apps], selector: byName('api-gateway'), interval: '10s' });
    const uses = new Set(model.services.flatMap((s) => s.uses));
    if (uses.has('redis')) new PodMonitor(monitors, 'redis', { name: 'redis-cluster', namespace, labels: monitorLabels, targetNamespaces: [model.namespaces.data], selector: byName('redis-cluster') });
    if (uses.has('consul')) new PodMonitor(monitors, 'consul', { name: 'consul-server', namespace, labels: monitorLabels, targetNamespaces: [model.namespaces.data], selector: byName('consul-server') });
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
          redisService: model.redis ? REDIS_CLUSTER_NAME : undefined,
        }),
      },
      datasources: grafanaDatasources({
        prometheusUrl: `http://prometheus-k8s.${model.namespaces.monitoring}.svc.cluster.local:9090`,
        jaegerUrl: `http://${svc(jaeger.name, JAEGER_PORTS.query)}`,
        lokiUrl: `http://${svc(loki.name, LOKI_PORTS.http)}`,
        lokiTenant: t.tenant,
      }),
    });

    new ObservabilityAccess(this, 'access', {
      namespace,
      agentNamespace: t.agentNamespace,
      labels: standardLabels({ name: 'observability-access', instance, component: 'telemetry', partOf }),
      istioNamespace: model.namespaces.istioRoot,
      appsNamespace: model.namespaces.apps,
      servicePrincipals: model.services.map((s) => s.principal),
      collector: { namespace, pods: collector.selector, principal: principal(namespace, collector.serviceAccount.name) },
      agent: { namespace: t.agentNamespace, pods: agent.selector, principal: principal(t.agentNamespace, agent.serviceAccount.name) },
      jaeger: { namespace, pods: jaeger.selector, principal: principal(namespace, jaeger.name) },
      loki: { namespace, pods: loki.selector, principal: principal(namespace, loki.name) },
      prometheus: { namespace: model.namespaces.monitoring, pods: { 'app.kubernetes.io/name': 'prometheus' }, principal: principal(model.namespaces.monitoring, PROMETHEUS_ACCOUNT) },
      grafana: { namespace: model.namespaces.monitoring, pods: { 'app.kubernetes.io/name': 'grafana' }, principal: principal(model.namespaces.monitoring, GRAFANA_ACCOUNT) },
    });
  }
}

/** Groups the PodMonitors into one file. */
class PodMonitorsGroup extends Construct {}
