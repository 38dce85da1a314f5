import { k8s } from './k8s';

/**
 * The pod-level half of the "restricted" Pod Security Standard (SECURITY.md P1-P3): non-root,
 * a non-zero UID/GID, and the runtime's default seccomp profile. The pod-level values also cover
 * the containers Istio injects, which is what lets meshed namespaces enforce `restricted`.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export function restrictedPodSecurityContext(user: number): k8s.PodSecurityContext {
  if (user === 0) throw new Error('restricted pods cannot run as uid 0: pick a non-root uid');
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    fsGroup: user,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The container-level half (P4-P7): no privilege escalation, no capabilities, read-only root. */
export function restrictedContainerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
  };
}

/**
 * Spread replicas over nodes and zones without ever leaving a pod pending: `ScheduleAnyway`
 * rather than cdk8s-plus's `spread: true`, which emits required anti-affinity and strands pods on
 * small clusters (DESIGN.md "Workload defaults").
 */
export function spreadAcrossNodesAndZones(selector: Record<string, string>): k8s.TopologySpreadConstraint[] {
  return ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: selector },
  }));
}

/**
 * Soft anti-affinity on nodes: members of a stateful set prefer distinct nodes but never stay
 * Pending on a small cluster (the same reasoning as DESIGN.md "Workload defaults" for services).
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

/**
 * A memory-backed volume for files written at start from Secrets or rendered config: never on the
 * node's disk, and capped (it counts against the pod's memory).
 */
export function memoryVolume(name: string, sizeLimit = '1Mi'): k8s.Volume {
  return { name, emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString(sizeLimit) } };
}

/** A writable `/tmp` for read-only-root containers: an emptyDir capped so a leak cannot fill the node. */
export const TMP_VOLUME: k8s.Volume = { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } };

/** Where containers mount TMP_VOLUME. */
export const TMP_MOUNT: k8s.VolumeMount = { name: TMP_VOLUME.name, mountPath: '/tmp' };
