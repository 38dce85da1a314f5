import { k8s } from '../common/k8s';
import { Construct } from 'constructs';

export interface DisruptionBudgetProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Must equal the pod template's selector labels. */
  readonly selector: Record<string, string>;
}

/**
 * A `policy/v1` PodDisruptionBudget that lets node drains proceed one pod at a time:
 * `maxUnavailable: 1` (never 0, which blocks drains) and `unhealthyPodEvictionPolicy: AlwaysAllow`,
 * so a crash-looping pod never holds a drain hostage (SECURITY.md P19).
 *
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy
 */
export class DisruptionBudget extends Construct {
  public static readonly sourceFile = __filename;
  public readonly resource: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: DisruptionBudgetProps) {
    super(scope, id);
    this.resource = new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: props.selector },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}
