import { parseQuantity } from '../catalog/quantity';
import { compare, containersOf, objectKey, podSpecOf, type K8sObject } from './objects';

/** CPU in millicores and memory in bytes. */
export interface Amount {
  readonly cpu: number;
  readonly memory: number;
}

export interface PodSize {
  readonly requests: Amount;
  readonly limits: Amount;
}

/** What one workload asks of the cluster. */
export interface WorkloadCapacity {
  readonly key: string;
  readonly kind: string;
  readonly name: string;
  /** `app.kubernetes.io/component`, the layer of a service. */
  readonly layer?: string;
  /** DaemonSets run one pod per node: their replicas are per node, not counted in the totals. */
  readonly perNode: boolean;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** The pod's effective size: app containers (and restartable init sidecars) summed, each init container's own size as a floor. */
  readonly pod: PodSize;
  /** Whether an autoscaler sets the bounds. */
  readonly autoscaled: boolean;
}

export interface CapacityTotals {
  readonly atMin: PodSize;
  readonly atMax: PodSize;
  /** One pod of every DaemonSet: what each node carries. */
  readonly perNode: PodSize;
}

const SCALED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet']);
export const ZERO: Amount = { cpu: 0, memory: 0 };

/**
 * The long-running workloads (Deployments, StatefulSets, ReplicaSets, DaemonSets) with their replica
 * bounds: an HPA targeting the workload gives `minReplicas`..`maxReplicas`, else `spec.replicas`
 * (default 1). Jobs and CronJobs are left out: they do not hold capacity. Sorted by key.
 */
export function workloadCapacities(objects: readonly K8sObject[]): WorkloadCapacity[] {
  const autoscalers = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  return objects
    .filter((o) => SCALED_KINDS.has(o.kind) && podSpecOf(o))
    .map((o) => {
      const hpa = autoscalers.find(
        (h) =>
          h.metadata?.namespace === o.metadata?.namespace &&
          h.spec?.scaleTargetRef?.kind === o.kind &&
          h.spec?.scaleTargetRef?.name === o.metadata?.name,
      );
      const fixed = o.spec?.replicas ?? 1;
      const label = o.spec?.template?.metadata?.labels?.['app.kubernetes.io/component'] ?? o.metadata?.labels?.['app.kubernetes.io/component'];
      return {
        key: objectKey(o),
        kind: o.kind,
        name: o.metadata?.name,
        ...(label ? { layer: label } : {}),
        perNode: o.kind === 'DaemonSet',
        minReplicas: o.kind === 'DaemonSet' ? 1 : hpa ? (hpa.spec?.minReplicas ?? 1) : fixed,
        maxReplicas: o.kind === 'DaemonSet' ? 1 : hpa ? hpa.spec?.maxReplicas : fixed,
        pod: podSize(podSpecOf(o)!),
        autoscaled: hpa !== undefined,
      };
    })
    .sort((a, b) => compare(a.key, b.key));
}

/** Totals at minimum and maximum replicas (DaemonSets apart, per node). */
export function capacityTotals(workloads: readonly WorkloadCapacity[]): CapacityTotals {
  const scaled = workloads.filter((w) => !w.perNode);
  return {
    atMin: sumSizes(scaled.map((w) => times(w.pod, w.minReplicas))),
    atMax: sumSizes(scaled.map((w) => times(w.pod, w.maxReplicas))),
    perNode: sumSizes(workloads.filter((w) => w.perNode).map((w) => w.pod)),
  };
}

/**
 * A pod's effective requests and limits, as the scheduler computes them: the sum over app
 * containers and restartable (sidecar) init containers, raised to the largest plain init container.
 * An unset value counts as zero.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 */
export function podSize(spec: K8sObject): PodSize {
  const containers = containersOf(spec);
  const running = containers.filter((c) => !c.init || c.container.restartPolicy === 'Always').map((c) => containerSize(c.container));
  const inits = containers.filter((c) => c.init && c.container.restartPolicy !== 'Always').map((c) => containerSize(c.container));
  const sum = sumSizes(running);
  return inits.reduce(
    (size, init) => ({
      requests: { cpu: Math.max(size.requests.cpu, init.requests.cpu), memory: Math.max(size.requests.memory, init.requests.memory) },
      limits: { cpu: Math.max(size.limits.cpu, init.limits.cpu), memory: Math.max(size.limits.memory, init.limits.memory) },
    }),
    sum,
  );
}

/** One container's requests and limits (a limit without a request is also its request, as the API server defaults it). */
export function containerSize(container: K8sObject): PodSize {
  const limits = amount(container.resources?.limits);
  const requested = container.resources?.requests ?? {};
  const requests = {
    cpu: requested.cpu !== undefined ? millicores(requested.cpu) : limits.cpu,
    memory: requested.memory !== undefined ? bytes(requested.memory) : limits.memory,
  };
  return { requests, limits };
}

function amount(values: K8sObject | undefined): Amount {
  return { cpu: values?.cpu !== undefined ? millicores(values.cpu) : 0, memory: values?.memory !== undefined ? bytes(values.memory) : 0 };
}

function millicores(text: string | number): number {
  const value = parseQuantity(text);
  if (value === undefined) throw new Error(`invalid cpu quantity "${text}"`);
  return Math.ceil(value * 1000);
}

function bytes(text: string | number): number {
  const value = parseQuantity(text);
  if (value === undefined) throw new Error(`invalid memory quantity "${text}"`);
  return Math.ceil(value);
}

function times(size: PodSize, n: number): PodSize {
  return { requests: scale(size.requests, n), limits: scale(size.limits, n) };
}

function scale(a: Amount, n: number): Amount {
  return { cpu: a.cpu * n, memory: a.memory * n };
}

function sumSizes(sizes: readonly PodSize[]): PodSize {
  const add = (a: Amount, b: Amount) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory });
  return sizes.reduce((s, p) => ({ requests: add(s.requests, p.requests), limits: add(s.limits, p.limits) }), { requests: ZERO, limits: ZERO });
}
