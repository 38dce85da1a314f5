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

export interface LokiLimitsModel {
  readonly ingestionRateMb: number;
  readonly ingestionBurstSizeMb: number;
  readonly perStreamRateLimitMb: number;
  readonly perStreamRateLimitBurstMb: number;
}

/** One environment's telemetry settings. */
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
