import { k8s } from '../common/k8s';
import type { AuthorizationRule } from '../mesh/authorization-policy';
import type { NetworkRule } from '../mesh/network-access';

/** A workload allowed to reach a data component: its mesh identity and its pods, for both policy layers. */
export interface DataClient {
  /** Istio principal, `cluster.local/ns/<namespace>/sa/<service account>`. */
  readonly principal: string;
  readonly namespace: string;
  /** The client pods' selector labels. */
  readonly pods: Record<string, string>;
}

/**
 * What a data component's clients may do, at both layers: one ALLOW rule naming their principals
 * and one NetworkPolicy ingress rule from their pods, both on `port` only, clients in a stable
 * order; no rule at all when nothing uses the component.
 */
export function clientAccess(clients: readonly DataClient[], port: number): { authorization: AuthorizationRule[]; network: NetworkRule[] } {
  if (clients.length === 0) return { authorization: [], network: [] };
  const sorted = [...clients].sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));
  return {
    authorization: [{ principals: sorted.map((c) => c.principal), to: [{ ports: [String(port)] }] }],
    network: [{ peers: sorted.map((c) => ({ namespace: c.namespace, pods: c.pods })), ports: [{ port }] }],
  };
}

/** A Secret's name and key; the Secret is never synthesized, only referenced (SECURITY.md I2). */
export interface SecretKeySelector {
  readonly name: string;
  readonly key: string;
}

/** Persistent storage of a StatefulSet member. */
export interface StorageProps {
  /** PVC size, a binary quantity such as `10Gi`. */
  readonly size: string;
  /**
   * StorageClass of the claims.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
}

/**
 * Soft anti-affinity on nodes: members prefer distinct nodes but never stay Pending on a small
 * cluster (the same reasoning as DESIGN.md "Workload defaults" for services).
 *
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity
 */
export function preferDistinctNodes(selector: Record<string, string>): k8s.Affinity {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } } },
      ],
    },
  };
}

/** The `data` volumeClaimTemplate of a StatefulSet. */
export function dataClaimTemplate(storage: StorageProps, labels: Record<string, string>): k8s.KubePersistentVolumeClaimProps {
  return {
    metadata: { name: 'data', labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(storage.storageClass ? { storageClassName: storage.storageClass } : {}),
      resources: { requests: { storage: k8s.Quantity.fromString(storage.size) } },
    },
  };
}

/** Container resources from catalog quantities, always explicit (no cdk8s-plus defaults). */
export function containerResources(r: {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
    limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
  };
}

/** Env vars with the pod's own name, namespace and IP from the downward API. */
export function podIdentityEnv(...fields: ('POD_NAME' | 'POD_NAMESPACE' | 'POD_IP')[]): k8s.EnvVar[] {
  const paths = { POD_NAME: 'metadata.name', POD_NAMESPACE: 'metadata.namespace', POD_IP: 'status.podIP' };
  return fields.map((name) => ({ name, valueFrom: { fieldRef: { fieldPath: paths[name] } } }));
}
