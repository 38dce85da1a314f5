import { Duration } from 'cdk8s';
import { effectiveConsul, effectiveRedis, effectiveSettings } from './defaults';
import { parseDuration } from './duration';
import type { Catalog } from './load';
import type { PlatformEndpoints } from './endpoints';
import type { CallEdge, ConsulModel, GatewayModel, IstioConfig, JsonValue, PlatformModel, ProbeModel, PublicTls, RedisModel, ServiceModel } from './model';
import { imageReference, versionLabel } from './image-tag';
import { scaleCpu, scaleMemory } from './quantity';
import { resolveSlo, resolveTelemetry } from './telemetry';
import type { CatalogDocument, EnvironmentName } from './schema';
import { meshPrincipal } from './principal';
import { callPolicy, serviceResilience } from './resilience';
import type { CanaryModel } from './model';
import { resolveEndpoints } from './resolve-endpoints';

/** Istio's root namespace: mesh-wide policy (PeerAuthentication `default`) lives here. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

/** Prometheus Operator's namespace (kube-prometheus default), assumed present in every cluster. */
export const MONITORING_NAMESPACE = 'monitoring';

/**
 * The mesh when the catalog's `platform.istio` leaves a field out. Values from PLATFORM.md "Mesh"
 * (pilot 100m/128Mi..500m/512Mi, `EXTERNAL_ISTIOD=false`, gateway LoadBalancer 80→8080, 443→8443).
 */
export const DEFAULT_ISTIO = {
  version: '1.30.1',
  pilot: {
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    env: { EXTERNAL_ISTIOD: 'false' } as Record<string, string>,
  },
  ingressGateway: {
    /** Kong is the one public entry; the Istio ingress gateway is opt-in (README "One public entry"). */
    enabled: false,
    name: 'istio-ingressgateway',
    serviceType: 'LoadBalancer' as const,
    ports: [
      { name: 'http2', port: 80, targetPort: 8080 },
      { name: 'https', port: 443, targetPort: 8443 },
    ],
  },
  /** One traced request in a hundred: Istio's own default. */
  tracingSampling: 1,
};

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

function istioConfig(doc: CatalogDocument, environment: EnvironmentName, collector: PlatformEndpoints['collector']): IstioConfig {
  const entry = doc.platform.istio;
  const env = entry?.pilot?.env ?? DEFAULT_ISTIO.pilot.env;
  return {
    version: entry?.version ?? DEFAULT_ISTIO.version,
    rootNamespace: ISTIO_ROOT_NAMESPACE,
    meshId: entry?.meshId ?? `${doc.platform.name}-mesh`,
    network: entry?.network ?? `${doc.platform.name}-network`,
    pilot: {
      resources: entry?.pilot?.resources ?? DEFAULT_ISTIO.pilot.resources,
      env: Object.keys(env).sort().map((name) => ({ name, value: env[name] })),
    },
    ingressGateway: {
      enabled: entry?.ingressGateway?.enabled ?? DEFAULT_ISTIO.ingressGateway.enabled,
      name: DEFAULT_ISTIO.ingressGateway.name,
      serviceType: entry?.ingressGateway?.serviceType ?? DEFAULT_ISTIO.ingressGateway.serviceType,
      ports: entry?.ingressGateway?.ports ?? DEFAULT_ISTIO.ingressGateway.ports,
    },
    tracing: {
      provider: 'otel-tracing',
      service: collector.host,
      port: collector.ports.otlpGrpc,
      sampling: doc.environments[environment].istio?.tracingSampling ?? DEFAULT_ISTIO.tracingSampling,
    },
  };
}

/** Kong 3.9.1: the newest open-source Kong image (Kong/docker-kong#738); 3.10+ are Enterprise-only. */
export const DEFAULT_KONG_IMAGE = { repository: 'docker.io/library/kong', tag: '3.9.1' };
/** Redis 7.2: the last BSD-licensed line; holds only the gateway's rate-limit counters. */
export const DEFAULT_RATE_LIMIT_REDIS_IMAGE = { repository: 'docker.io/library/redis', tag: '7.2.7' };

/** The seed's CORS settings (PLATFORM.md "API gateway"), except the origins, which are explicit per environment. */
const DEFAULT_CORS = {
  methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'] as const,
  headers: ['Accept', 'Accept-Version', 'Content-Length', 'Content-MD5', 'Content-Type', 'Date', 'X-Auth-Token'],
  exposedHeaders: ['X-Auth-Token'],
  maxAge: '3600s',
};

/** The Secret cert-manager writes the public host's certificate into (apps namespace). */
export const PUBLIC_TLS_SECRET = 'api-gateway-tls';

function publicTls(doc: CatalogDocument, environment: EnvironmentName): PublicTls | undefined {
  const tls = doc.environments[environment].tls;
  if (!tls) return undefined;
  const hsts = tls.hstsMaxAge ? { hstsMaxAgeSeconds: parseDuration(tls.hstsMaxAge)! } : {};
  if (tls.secret) return { source: 'secret', secretName: tls.secret, ...hsts };
  // the loader requires exactly one of issuer and secret (rules.ts, public-tls).
  return { source: 'certificate', secretName: PUBLIC_TLS_SECRET, issuer: { ...tls.issuer! }, ...hsts };
}

function gateway(doc: CatalogDocument, environment: EnvironmentName, services: readonly ServiceModel[]): GatewayModel {
  const kong = doc.platform.kong ?? {};
  const overlay = doc.environments[environment].gateway ?? {};
  const defaultRateLimitPolicy = overlay.rateLimitPolicy ?? 'redis';
  const tls = publicTls(doc, environment);
  const usesRateLimitRedis = services.some((s) => {
    const limits = s.route && s.ports.http !== undefined ? s.route.plugins?.['rate-limiting'] : undefined;
    return limits !== undefined && (limits.policy ?? defaultRateLimitPolicy) === 'redis';
  });
  const image = kong.image ?? DEFAULT_KONG_IMAGE;
  const redisImage = kong.rateLimitRedis?.image ?? DEFAULT_RATE_LIMIT_REDIS_IMAGE;
  return {
    image: imageReference(image.repository, image.tag),
    version: versionLabel(image.tag),
    servicePorts: { http: kong.ports?.http ?? 80, https: kong.ports?.https ?? 443 },
    cors: {
      origins: [...(overlay.corsOrigins ?? [])].sort(),
      methods: [...(kong.cors?.methods ?? DEFAULT_CORS.methods)],
      headers: [...(kong.cors?.headers ?? DEFAULT_CORS.headers)],
      exposedHeaders: [...(kong.cors?.exposedHeaders ?? DEFAULT_CORS.exposedHeaders)],
      credentials: kong.cors?.credentials ?? true,
      maxAgeSeconds: parseDuration(kong.cors?.maxAge ?? DEFAULT_CORS.maxAge)!,
    },
    consumers: sortBy(kong.consumers ?? [], (c) => c.username).map((c) => ({
      username: c.username,
      jwt: { key: c.jwt.key, algorithm: c.jwt.algorithm ?? 'HS256', secret: { ...c.jwt.secret } },
    })),
    ...(tls ? { tls } : {}),
    defaultRateLimitPolicy,
    usesRateLimitRedis,
    rateLimitRedis: {
      image: imageReference(redisImage.repository, redisImage.tag),
      version: versionLabel(redisImage.tag),
      passwordSecret: { ...(kong.rateLimitRedis?.passwordSecret ?? { name: 'kong-rate-limit-redis', key: 'password' }) },
    },
  };
}

function resolveRedis(doc: CatalogDocument, environment: EnvironmentName, services: readonly ServiceModel[]): RedisModel {
  const r = effectiveRedis(doc, environment);
  return {
    image: imageReference(r.image.repository, r.image.tag),
    version: versionLabel(r.image.tag),
    nodes: r.nodes,
    replicasPerMaster: r.replicasPerMaster,
    maxmemory: r.maxmemory,
    maxmemoryPolicy: r.maxmemoryPolicy,
    storage: { ...r.storage },
    resources: r.resources,
    passwordSecret: { ...r.passwordSecret },
    clients: services.filter((s) => s.uses.includes('redis')).map((s) => s.name),
  };
}

function resolveConsul(doc: CatalogDocument, environment: EnvironmentName, services: readonly ServiceModel[]): ConsulModel {
  const c = effectiveConsul(doc, environment);
  const clients = services.filter((s) => s.uses.includes('consul')).map((s) => s.name);
  return {
    image: imageReference(c.image.repository, c.image.tag),
    version: versionLabel(c.image.tag),
    servers: c.servers,
    storage: { ...c.storage },
    resources: c.resources,
    gossipKeySecret: { ...c.gossipKeySecret },
    bootstrapTokenSecret: { ...c.bootstrapTokenSecret },
    agentTokenSecret: { ...(c.agentTokenSecret ?? DEFAULT_CONSUL_AGENT_TOKEN_SECRET) },
    clientTokenSecrets: Object.fromEntries(clients.map((service) => [service, consulServiceTokenSecret(c.clientTokenSecret, service)])),
    clients,
  };
}

function canary(registry: string, image: string, entry: { tag: string; weight: number }): CanaryModel {
  return { image: `${registry}/${image}:${entry.tag}`, version: entry.tag, weight: entry.weight };
}

export const DEFAULT_CONSUL_AGENT_TOKEN_SECRET = { name: 'consul-agent-token', key: 'token' } as const;

/**
 * A service's own Consul token Secret: `<clientTokenSecret.name>-<service>`, the same key. One
 * token per service, because Consul grants per token: a shared one would let every service
 * register (and deregister) every other.
 */
export function consulServiceTokenSecret(prefix: { readonly name: string; readonly key: string }, service: string): { name: string; key: string } {
  return { name: `${prefix.name}-${service}`, key: prefix.key };
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

