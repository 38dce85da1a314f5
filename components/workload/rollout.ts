import { k8s } from '../common/k8s';

/** Replica bounds of a Deployment; with autoscaling targets an HPA owns the count. */
export interface ReplicaBounds {
  readonly min: number;
  readonly max: number;
  readonly autoscaling?: unknown;
}

/**
 * The replica and rollout fields every platform Deployment shares: no `spec.replicas` when an HPA
 * scales it (a value there would reset the HPA's count on every apply, SECURITY.md P18), and a
 * rolling update that adds a pod before taking one away, so a rollout never drops capacity.
 */
export function rolloutSpec(replicas: ReplicaBounds, autoscaled: boolean = replicas.autoscaling !== undefined): Pick<k8s.DeploymentSpec, 'replicas' | 'revisionHistoryLimit' | 'strategy'> {
  return {
    ...(autoscaled ? {} : { replicas: replicas.min }),
    revisionHistoryLimit: 5,
    strategy: {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: k8s.IntOrString.fromString('25%'), maxUnavailable: k8s.IntOrString.fromNumber(0) },
    },
  };
}
