import { Duration } from 'cdk8s';
import { effectiveSettings } from './defaults';
import { parseDuration } from './duration';
import type { Catalog } from './load';
import type { CallEdge, CanaryModel, JsonValue, PlatformModel, ProbeModel, ServiceModel } from './model';
import { imageReference, versionLabel } from './image-tag';
import { scaleCpu, scaleMemory } from './quantity';
import { resolveSlo, resolveTelemetry } from './telemetry';
import type { CatalogDocument, EnvironmentName } from './schema';
import { meshPrincipal } from './principal';
import { callPolicy, serviceResilience } from './resilience';
import { resolveConsul, resolveRedis } from './resolve/data-components';
import { resolveEndpoints } from './resolve/endpoints';
import { gateway } from './resolve/gateway';
import { ISTIO_ROOT_NAMESPACE, istioConfig } from './resolve/mesh';
import { sortBy, sortedRecord } from './resolve/sorted';

export { DEFAULT_CONSUL_AGENT_TOKEN_SECRET, consulServiceTokenSecret } from './resolve/data-components';
export { DEFAULT_KONG_IMAGE, DEFAULT_RATE_LIMIT_REDIS_IMAGE, PUBLIC_TLS_SECRET } from './resolve/gateway';
export { DEFAULT_ISTIO, ISTIO_ROOT_NAMESPACE } from './resolve/mesh';

/** Prometheus Operator's namespace (kube-prometheus default), assumed present in every cluster. */
export const MONITORING_NAMESPACE = 'monitoring';

/**
 * The model of one environment: the environment's overlay applied to every service, defaults
 * filled in, and the facts derived from the whole catalog (callers of each service, principals).
 */
export function resolve(catalog: Catalog, environment: EnvironmentName): PlatformModel {
  const doc = catalog.document;
  const overlay = doc.environments[environment];
  const namespaces = {
    apps: `${doc.platform.namespaces.apps}-${environment}`,
    data: `${doc.platform.namespaces.data}-${environment}`,
    observability: `${doc.platform.namespaces.observability}-${environment}`,
    istioRoot: ISTIO_ROOT_NAMESPACE,
    monitoring: MONITORING_NAMESPACE,
  };
  const principal = (name: string) => meshPrincipal(namespaces.apps, name);

  const entries = new Map(doc.services.map((s) => [s.name, s]));
  const edges: CallEdge[] = sortBy(
    doc.services.flatMap((s) =>
      (s.calls ?? []).map((call) => ({
        caller: s.name,
        callerPrincipal: principal(s.name),
        callee: call.service,
        methods: [...call.methods].sort(),
        paths: [...call.paths].sort(),
        policy: callPolicy(doc, environment, entries.get(call.service)!, call),
      })),
    ),
    (e) => `${e.caller}\u0000${e.callee}`,
  );

  const services = sortBy(doc.services, (s) => s.name).map((entry): ServiceModel => {
    const settings = effectiveSettings(doc.defaults, entry);
    const scale = overlay.resourceScale ?? 1;
    const max = Math.min(settings.autoscaling.maxReplicas, overlay.maxReplicas ?? Infinity);
    const min = Math.min(settings.autoscaling.minReplicas, max);
    const version = entry.image ? (overlay.imageTags?.[entry.name] ?? entry.image.tag) : undefined;
    return {
      name: entry.name,
      layer: entry.layer,
      description: entry.description,
      ...(entry.implementation ? { implementation: entry.implementation } : {}),
      namespace: namespaces.apps,
      serviceAccount: entry.name,
      principal: principal(entry.name),
      ...(entry.image && version ? { image: imageReference(`${doc.platform.registry}/${entry.image.name}`, version), version: versionLabel(version) } : {}),
      ports: { ...entry.ports },
      resources: {
        requests: { cpu: scaleCpu(settings.resources.requests.cpu, scale), memory: scaleMemory(settings.resources.requests.memory, scale) },
        limits: { cpu: scaleCpu(settings.resources.limits.cpu, scale), memory: scaleMemory(settings.resources.limits.memory, scale) },
      },
      probes: {
        startup: probe(settings.probes.startup),
        readiness: probe(settings.probes.readiness),
        liveness: probe(settings.probes.liveness),
      },
      replicas: {
        min,
        max,
        ...(max > 1 ? { autoscaling: { cpuUtilization: settings.autoscaling.cpuUtilization, memoryUtilization: settings.autoscaling.memoryUtilization } } : {}),
      },
      env: Object.keys(settings.env).sort().map((name) => ({ name, value: settings.env[name] })),
      config: sortedRecord(entry.config ?? {}) as Record<string, JsonValue>,
      secrets: sortBy(entry.secrets ?? [], (r) => r.env),
      calls: edges.filter((e) => e.caller === entry.name),
      callers: edges.filter((e) => e.callee === entry.name),
      uses: [...new Set(entry.uses ?? [])].sort(),
      ...(entry.route ? { route: entry.route } : {}),
      slo: resolveSlo(entry),
      resilience: serviceResilience(doc, environment, entry),
      ...(entry.image && overlay.canaries?.[entry.name] ? { canary: canary(doc.platform.registry, entry.image.name, overlay.canaries[entry.name]) } : {}),
    };
  });

  const gatewayModel = gateway(doc, environment, services);
  const telemetry = resolveTelemetry(doc, environment);
  const endpoints = resolveEndpoints({
    namespaces,
    instance: `${doc.platform.name}-${environment}`,
    agentNamespace: telemetry.agentNamespace,
    services,
    hasRedis: doc.platform.redis !== undefined,
    hasConsul: doc.platform.consul !== undefined,
    usesRateLimitRedis: gatewayModel.usesRateLimitRedis,
    jaegerStorage: telemetry.jaegerStorage,
  });
  return {
    environment,
    platform: { name: doc.platform.name, domain: doc.platform.domain, registry: doc.platform.registry },
    namespaces,
    hostnames: { api: overlay.hostnames.api },
    telemetry,
    services,
    edges,
    istio: istioConfig(doc, environment, endpoints.collector),
    gateway: gatewayModel,
    endpoints,
    ...(doc.platform.redis ? { redis: resolveRedis(doc, environment, services) } : {}),
    ...(doc.platform.consul ? { consul: resolveConsul(doc, environment, services) } : {}),
  };
}

function canary(registry: string, image: string, entry: { tag: string; weight: number }): CanaryModel {
  return { image: `${registry}/${image}:${entry.tag}`, version: entry.tag, weight: entry.weight };
}

function probe(entry: CatalogDocument['defaults']['probes']['startup']): ProbeModel {
  return {
    path: entry.path,
    period: Duration.seconds(parseDuration(entry.period ?? '10s')!),
    timeout: Duration.seconds(parseDuration(entry.timeout ?? '1s')!),
    failureThreshold: entry.failureThreshold ?? 3,
  };
}
