import type { Duration } from 'cdk8s';
import type { PlatformEndpoints } from '../endpoints';
import type { EnvironmentName, HttpMethod, Layer, PlatformDependency, RateLimitPolicy, RouteEntry } from '../schema';

/** A JSON value as the catalog's `config` entries hold it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Everything one environment needs, resolved from the catalog: overlays applied, defaults filled in. */
export interface PlatformModel {
  readonly environment: EnvironmentName;
  readonly platform: {
    readonly name: string;
    readonly domain: string;
    readonly registry: string;
  };
  readonly namespaces: Namespaces;
  readonly hostnames: { readonly api: string };
  readonly telemetry: TelemetryModel;
  /** Every service, sorted by name. */
  readonly services: readonly ServiceModel[];
  /** Every allowed call, sorted by caller then callee. */
  readonly edges: readonly CallEdge[];
  /** The mesh of this environment: the IstioOperator and the Istio Helm values are built from it. */
  readonly istio: IstioConfig;
  /** The API gateway's settings, defaults filled in (catalog `platform.kong` and the environment's `gateway`). */
  readonly gateway: GatewayModel;
  /** The Redis cluster of this environment (overlay applied); absent when the catalog has none. */
  readonly redis?: RedisModel;
  /** The Consul servers of this environment (overlay applied); absent when the catalog has none. */
  readonly consul?: ConsulModel;
  /** Every component and outside workload as the others reach it (names, selectors, principals, ports). */
  readonly endpoints: PlatformEndpoints;
}

/**
 * The typed Istio installation of one environment. One source for both install paths: the
 * IstioOperator `istioctl install -f` reads, and the Helm values the Pulumi program installs with.
 */
export interface IstioConfig {
  /** Istio release: istioctl version, Helm chart version and image tag. */
  readonly version: string;
  /** Root namespace: istiod, mesh-wide policy. */
  readonly rootNamespace: string;
  readonly meshId: string;
  readonly network: string;
  readonly pilot: {
    readonly resources: Resources;
    /** istiod environment variables, sorted by name. */
    readonly env: readonly { readonly name: string; readonly value: string }[];
  };
  readonly ingressGateway: {
    /** Installed (Helm release `gateway`, IstioOperator component enabled) only when the catalog turns it on. */
    readonly enabled: boolean;
    readonly name: string;
    readonly serviceType: 'LoadBalancer' | 'ClusterIP';
    readonly ports: readonly { readonly name: string; readonly port: number; readonly targetPort: number }[];
  };
  readonly tracing: {
    /** The extension provider's name, referenced by `defaultProviders.tracing`. */
    readonly provider: string;
    /** OTLP gRPC endpoint of the collector: host (FQDN of the Service) and port. */
    readonly service: string;
    readonly port: number;
    /** Percentage of requests traced, 0..100. */
    readonly sampling: number;
  };
}

/** Kong's settings for one environment; its routes are the services' `route` fields. */
export interface GatewayModel {
  /** Full image reference, e.g. `docker.io/library/kong:3.9.1`. */
  readonly image: string;
  readonly version: string;
  /** Ports of the public LoadBalancer Service. */
  readonly servicePorts: { readonly http: number; readonly https: number };
  readonly cors: {
    /** Explicit origins of this environment; empty means no CORS plugin (no browser cross-origin access). */
    readonly origins: readonly string[];
    readonly methods: readonly HttpMethod[];
    readonly headers: readonly string[];
    readonly exposedHeaders: readonly string[];
    readonly credentials: boolean;
    readonly maxAgeSeconds: number;
  };
  /** Sorted by username. */
  readonly consumers: readonly GatewayConsumer[];
  /**
   * The certificate Kong serves for `hostnames.api`; absent only when the catalog has no route.
   * `certificate`: cert-manager writes `secretName` from `issuer`; `secret`: an existing TLS Secret.
   */
  readonly tls?: PublicTls;
  /** The environment's policy for routes that do not name one. */
  readonly defaultRateLimitPolicy: RateLimitPolicy;
  /** Whether some route keeps its counters in Redis (the rate-limit Redis then exists). */
  readonly usesRateLimitRedis: boolean;
  readonly rateLimitRedis: {
    readonly image: string;
    readonly version: string;
    readonly passwordSecret: { readonly name: string; readonly key: string };
  };
}

export type PublicTls =
  | { readonly source: 'certificate'; readonly secretName: string; readonly issuer: { readonly kind: 'ClusterIssuer' | 'Issuer'; readonly name: string }; readonly hstsMaxAgeSeconds?: number }
  | { readonly source: 'secret'; readonly secretName: string; readonly hstsMaxAgeSeconds?: number };

export interface GatewayConsumer {
  readonly username: string;
  readonly jwt: { readonly key: string; readonly algorithm: 'HS256' | 'HS384' | 'HS512'; readonly secret: { readonly name: string; readonly key: string } };
}

/** A Secret's name and key. */
export interface SecretKey {
  readonly name: string;
  readonly key: string;
}

export interface StorageModel {
  readonly size: string;
  /** Absent: the cluster's default StorageClass. */
  readonly storageClass?: string;
}

export interface RedisModel {
  /** `repository:tag`. */
  readonly image: string;
  readonly version: string;
  readonly nodes: number;
  readonly replicasPerMaster: number;
  readonly maxmemory: string;
  readonly maxmemoryPolicy: string;
  readonly storage: StorageModel;
  readonly resources: Resources;
  readonly passwordSecret: SecretKey;
  /** Services with `uses: [redis]`, sorted. */
  readonly clients: readonly string[];
}

export interface ConsulModel {
  readonly image: string;
  readonly version: string;
  readonly servers: number;
  readonly storage: StorageModel;
  readonly resources: Resources;
  readonly gossipKeySecret: SecretKey;
  readonly bootstrapTokenSecret: SecretKey;
  /** The servers' agent token (`acl.tokens.agent`). */
  readonly agentTokenSecret: SecretKey;
  /** Each client service's own token, by service name (`<clientTokenSecret.name>-<service>`). */
  readonly clientTokenSecrets: Readonly<Record<string, SecretKey>>;
  /** Services with `uses: [consul]`, sorted. */
  readonly clients: readonly string[];
}

export interface Namespaces {
  /** The application services (and Kong, which is the api-gateway service). */
  readonly apps: string;
  /** Redis and Consul. */
  readonly data: string;
  /** Collector, Jaeger, Loki, dashboards. */
  readonly observability: string;
  /** Istio's root namespace, where mesh-wide policy lives. */
  readonly istioRoot: string;
  /**
   * Where Prometheus (Prometheus Operator, assumed present) runs; it scrapes pods through the
   * sidecar's merged metrics port 15020, so each namespace admits it there.
   */
  readonly monitoring: string;
}

export interface ServiceModel {
  readonly name: string;
  readonly layer: Layer;
  readonly description: string;
  /** Set when a platform component, not the generic workload, runs this service. */
  readonly implementation?: 'kong';
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The mesh identity: `cluster.local/ns/<namespace>/sa/<serviceAccount>`. */
  readonly principal: string;
  /** Full image reference, `registry/name:tag`; undefined for component-implemented services. */
  readonly image?: string;
  /** The image tag, used as `app.kubernetes.io/version`. */
  readonly version?: string;
  readonly ports: { readonly http?: number; readonly grpc?: number };
  readonly resources: Resources;
  readonly probes: { readonly startup: ProbeModel; readonly readiness: ProbeModel; readonly liveness: ProbeModel };
  readonly replicas: ReplicaModel;
  /** Plain environment variables, sorted by name. */
  readonly env: readonly { readonly name: string; readonly value: string }[];
  /** Configuration entries, sorted by key. */
  readonly config: Readonly<Record<string, JsonValue>>;
  /** Secret references, sorted by variable name. */
  readonly secrets: readonly SecretRef[];
  /** Calls this service makes, sorted by callee. */
  readonly calls: readonly CallEdge[];
  /** Calls this service receives, sorted by caller. */
  readonly callers: readonly CallEdge[];
  /** Shared infrastructure it connects to, sorted. */
  readonly uses: readonly PlatformDependency[];
  readonly route?: RouteEntry;
  /** Service level objectives (catalog `slo`, defaults from PLATFORM.md's targets). */
  readonly slo: SloModel;
  /** Its connection pool and outlier detection (catalog `resilience`, defaults per layer and environment). */
  readonly resilience: ServiceResilience;
  /** A second track of this environment running another image tag with a share of the traffic. */
  readonly canary?: CanaryModel;
}

/** A canary: the same service at another image tag, given `weight` percent of its mesh traffic. */
export interface CanaryModel {
  /** Full image reference, `registry/name:tag`. */
  readonly image: string;
  readonly version: string;
  /** Percent of requests to the service the canary gets (1..99); the stable track gets the rest. */
  readonly weight: number;
}

/** How a caller's sidecar treats one call (VirtualService `timeout` and `retries`). */
export interface CallPolicy {
  /** The whole call, retries included. */
  readonly timeoutMs: number;
  readonly retries: {
    /** Retries after the first try; applied only to the methods `retriedMethods` returns. */
    readonly attempts: number;
    readonly perTryTimeoutMs: number;
    readonly retryOn: readonly string[];
  };
  /** The edge declares its POST/PATCH requests safe to retry. */
  readonly idempotent: boolean;
}

/** A service's circuit breakers (DestinationRule `trafficPolicy`). */
export interface ServiceResilience {
  readonly connectionPool: { readonly maxConnections: number; readonly http1MaxPendingRequests: number; readonly http2MaxRequests: number };
  readonly outlierDetection: {
    readonly consecutive5xxErrors: number;
    readonly intervalMs: number;
    readonly baseEjectionTimeMs: number;
    readonly maxEjectionPercent: number;
  };
}

export interface SloModel {
  /** Percentage of requests that succeed, e.g. 99.9. */
  readonly availability: number;
  /** The p95 latency objective in milliseconds. */
  readonly latencyP95Ms: number;
}

/** Jaeger's trace store (catalog `platform.telemetry.jaegerStorage`, per-environment override). */
export type JaegerStorageModel =
  | { readonly backend: 'memory'; readonly maxTraces?: number }
  | { readonly backend: 'badger'; readonly size: string }
  | {
      readonly backend: 'elasticsearch' | 'opensearch';
      readonly url: string;
      readonly credentials: { readonly secret: string; readonly usernameKey: string; readonly passwordKey: string };
      /** Where the cluster's addresses lie (egress NetworkPolicy); absent: any address, on its port only. */
      readonly cidrs?: readonly string[];
      /** A Secret with the CA that signed the cluster's certificate; absent: the image's system roots. */
      readonly ca?: { readonly secret: string; readonly key: string };
    };

/** One environment's telemetry settings. */
export interface LokiLimitsModel {
  readonly ingestionRateMb: number;
  readonly ingestionBurstSizeMb: number;
  readonly perStreamRateLimitMb: number;
  readonly perStreamRateLimitBurstMb: number;
}

export interface TelemetryModel {
  /** The namespace of the log-collecting agent (DaemonSet with read-only hostPath mounts). */
  readonly agentNamespace: string;
  /** The Loki tenant (`X-Scope-OrgID`). */
  readonly tenant: string;
  /** Pinned image references. */
  readonly images: { readonly collector: string; readonly jaeger: string; readonly loki: string };
  /** The image tags, for `app.kubernetes.io/version`. */
  readonly versions: { readonly collector: string; readonly jaeger: string; readonly loki: string };
  readonly retention: { readonly tracesHours: number; readonly logsHours: number };
  /** Loki's PVC size. */
  readonly lokiStorage: string;
  /** Loki's per-tenant ingestion limits, in MB and MB/s. */
  readonly lokiLimits: LokiLimitsModel;
  readonly jaegerStorage: JaegerStorageModel;
  readonly collectorReplicas: { readonly min: number; readonly max: number };
  readonly resourceScale: number;
}

export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface ProbeModel {
  readonly path: string;
  readonly period: Duration;
  readonly timeout: Duration;
  readonly failureThreshold: number;
}

/** Replica bounds; `autoscaling` is absent when the environment pins a single replica. */
export interface ReplicaModel {
  readonly min: number;
  readonly max: number;
  readonly autoscaling?: { readonly cpuUtilization: number; readonly memoryUtilization: number };
}

export interface SecretRef {
  readonly env: string;
  readonly secret: string;
  readonly key: string;
}

/** One edge of the call graph: `caller` may call `callee` with these methods on these paths. */
export interface CallEdge {
  readonly caller: string;
  readonly callerPrincipal: string;
  readonly callee: string;
  readonly methods: readonly HttpMethod[];
  readonly paths: readonly string[];
  /** Timeout and retries of this call (edge, callee, layer, environment and default settings). */
  readonly policy: CallPolicy;
}
