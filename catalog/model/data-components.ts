import type { Resources } from './service';

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
