import { z } from 'zod';
import { dnsLabel, memory, positiveInt, secretKeyRef } from './fields';
import { externalImage, resources } from './workload';

const storage = z.strictObject({
  /** PersistentVolumeClaim size per pod. */
  size: memory,
  /** StorageClass; absent means the cluster's default class. */
  storageClass: dnsLabel.optional(),
});

/** The Redis-compatible cluster (Valkey or Redis, pinned), settings an environment may override. */
const redisSizing = {
  /** Cluster members (pods); masters = nodes / (1 + replicasPerMaster), at least 3. */
  nodes: positiveInt.optional(),
  /** Replicas of each master (`--cluster-replicas`). */
  replicasPerMaster: z.number().int().min(0).max(5).optional(),
  /** `maxmemory`, as a binary quantity (`2Gi` becomes `2gb`, which Redis reads as 2 * 1024^3 bytes). */
  maxmemory: memory.optional(),
  storage: storage.optional(),
  resources: resources.optional(),
};
export const redisOverlay = z.strictObject(redisSizing);
export const redis = z.strictObject({
  ...redisSizing,
  image: externalImage,
  nodes: positiveInt,
  replicasPerMaster: z.number().int().min(0).max(5),
  maxmemory: memory,
  maxmemoryPolicy: z.enum(['noeviction', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']),
  storage,
  resources,
  /** Secret holding the password (`requirepass` and `masterauth`); clients read a Secret of the same name in their namespace. */
  passwordSecret: secretKeyRef,
});

const consulSizing = {
  /** Server agents; `bootstrap_expect` equals it. 1, 3 or 5. */
  servers: positiveInt.optional(),
  storage: storage.optional(),
  resources: resources.optional(),
};
export const consulOverlay = z.strictObject(consulSizing);
export const consul = z.strictObject({
  ...consulSizing,
  image: externalImage,
  servers: positiveInt,
  storage,
  resources,
  /** Gossip encryption key (32 random bytes, base64). */
  gossipKeySecret: secretKeyRef,
  /** ACL bootstrap token (`acl.tokens.initial_management`, a UUID); the KV seeding Job uses it. */
  bootstrapTokenSecret: secretKeyRef,
  /**
   * The services' Consul tokens, one per service that uses Consul: Secret `<name>-<service>`,
   * key `key`, each a UUID. The seeding Job registers each with its own policy: register only
   * that service, read only `services/<service>/`.
   */
  clientTokenSecret: secretKeyRef,
  /**
   * The servers' agent token (`acl.tokens.agent`, a UUID), created by the seeding Job with a node
   * identity per server, so node and coordinate updates pass under `default_policy: deny`.
   * @default { name: "consul-agent-token", key: "token" }
   */
  agentTokenSecret: secretKeyRef.optional(),
});
