import type { Duration } from 'cdk8s';
import type { Layer, PlatformDependency, RouteEntry } from '../schema';
import type { CallEdge, ServiceResilience } from './calls';
import type { SloModel } from './telemetry';

/** A JSON value as the catalog's `config` entries hold it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

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
