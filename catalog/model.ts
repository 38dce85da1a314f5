import type { Duration } from 'cdk8s';
import type { EnvironmentName, HttpMethod, Layer, PlatformDependency, RouteEntry } from './schema';

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
    };

/** One environment's telemetry settings. */
export interface TelemetryModel {
  /** Where services send OTLP (gRPC), the gateway collector's Service. */
  readonly otlpEndpoint: string;
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
}
