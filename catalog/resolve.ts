import { Duration } from 'cdk8s';
import { effectiveSettings } from './defaults';
import { parseDuration } from './duration';
import type { Catalog } from './load';
import type { CallEdge, JsonValue, PlatformModel, ProbeModel, ServiceModel } from './model';
import { scaleCpu, scaleMemory } from './quantity';
import { resolveSlo, resolveTelemetry } from './telemetry';
import type { CatalogDocument, EnvironmentName } from './schema';

/** Istio's root namespace: mesh-wide policy (PeerAuthentication `default`) lives here. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

/** Prometheus Operator's namespace (kube-prometheus default), assumed present in every cluster. */
export const MONITORING_NAMESPACE = 'monitoring';

/** The Service the workloads send OTLP to; the telemetry component creates it under this name. */
export const OTEL_COLLECTOR_SERVICE = 'otel-collector';
export const OTLP_GRPC_PORT = 4317;

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
  const principal = (name: string) => `cluster.local/ns/${namespaces.apps}/sa/${name}`;

  const edges: CallEdge[] = sortBy(
    doc.services.flatMap((s) =>
      (s.calls ?? []).map((call) => ({
        caller: s.name,
        callerPrincipal: principal(s.name),
        callee: call.service,
        methods: [...call.methods].sort(),
        paths: [...call.paths].sort(),
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
      ...(entry.image ? { image: `${doc.platform.registry}/${entry.image.name}:${version}`, version } : {}),
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
    };
  });

  return {
    environment,
    platform: { name: doc.platform.name, domain: doc.platform.domain, registry: doc.platform.registry },
    namespaces,
    hostnames: { api: overlay.hostnames.api },
    telemetry: resolveTelemetry(doc, environment, `http://${OTEL_COLLECTOR_SERVICE}.${namespaces.observability}.svc.cluster.local:${OTLP_GRPC_PORT}`),
    services,
    edges,
  };
}

function probe(entry: CatalogDocument['defaults']['probes']['startup']): ProbeModel {
  return {
    path: entry.path,
    period: Duration.seconds(parseDuration(entry.period ?? '10s')!),
    timeout: Duration.seconds(parseDuration(entry.timeout ?? '1s')!),
    failureThreshold: entry.failureThreshold ?? 3,
  };
}

function sortBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Objects with keys in sorted order, recursively, so output never depends on catalog key order. */
function sortedRecord(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedRecord);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedRecord((value as Record<string, unknown>)[k])]));
  }
  return value;
}

