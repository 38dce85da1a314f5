import { Construct } from 'constructs';
import { DisruptionBudget } from './disruption-budget';
import { HorizontalAutoscaler } from './horizontal-autoscaler';

export interface ReplicaScalingProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  /** The scaled Deployment. */
  readonly target: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  /** The container whose usage drives scaling. */
  readonly container: string;
  readonly replicas: {
    readonly min: number;
    readonly max: number;
    /** Utilisation targets in percent; without them the count is fixed at `min`. */
    readonly autoscaling?: { readonly cpuUtilization: number; readonly memoryUtilization: number };
  };
}

/**
 * The replica policy of a stateless workload: an autoscaler when it has targets, and a
 * PodDisruptionBudget whenever more than one replica may run (one pod can never be drained
 * without an outage, so a single replica gets no budget that would block the drain).
 */
export class ReplicaScaling extends Construct {
  public static readonly sourceFile = __filename;
  public readonly autoscaler?: HorizontalAutoscaler;
  public readonly disruptionBudget?: DisruptionBudget;

  constructor(scope: Construct, id: string, props: ReplicaScalingProps) {
    super(scope, id);
    const { name, namespace, labels, replicas } = props;
    if (replicas.autoscaling) {
      this.autoscaler = new HorizontalAutoscaler(this, 'Autoscaler', {
        name,
        namespace,
        labels,
        target: props.target,
        container: props.container,
        minReplicas: replicas.min,
        maxReplicas: replicas.max,
        cpuUtilization: replicas.autoscaling.cpuUtilization,
        memoryUtilization: replicas.autoscaling.memoryUtilization,
      });
    }
    if (replicas.max > 1) {
      this.disruptionBudget = new DisruptionBudget(this, 'DisruptionBudget', { name, namespace, labels, selector: props.selector });
    }
  }
}
