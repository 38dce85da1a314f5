import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';

export interface HorizontalAutoscalerProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The scaled workload; it must not set `spec.replicas` (the autoscaler owns it). */
  readonly target: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  /**
   * The container whose own usage drives scaling (`ContainerResource` metrics), so an injected
   * sidecar's CPU or memory never skews the decision.
   */
  readonly container: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Average CPU utilisation of the container's request, in percent. */
  readonly cpuUtilization: number;
  /** Average memory utilisation of the container's request, in percent. */
  readonly memoryUtilization: number;
  /**
   * How long the recommendation must stay lower before scaling down.
   * @default Duration.minutes(5)
   */
  readonly scaleDownStabilization?: Duration;
}

/**
 * An `autoscaling/v2` HorizontalPodAutoscaler on the app container's CPU and memory, scaling up
 * fast and down slowly.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#container-resource-metrics
 */
export class HorizontalAutoscaler extends Construct {
  public static readonly sourceFile = __filename;
  public readonly scaleDownStabilization: Duration;
  public readonly resource: k8s.KubeHorizontalPodAutoscalerV2;

  constructor(scope: Construct, id: string, props: HorizontalAutoscalerProps) {
    super(scope, id);
    if (props.minReplicas > props.maxReplicas) {
      throw new Error(`autoscaler ${props.name}: minReplicas (${props.minReplicas}) must be <= maxReplicas (${props.maxReplicas})`);
    }
    if (props.maxReplicas < 2) {
      throw new Error(`autoscaler ${props.name}: maxReplicas (${props.maxReplicas}) leaves nothing to scale; pin the replica count instead`);
    }
    this.scaleDownStabilization = props.scaleDownStabilization ?? Duration.minutes(5);

    const utilization = (name: 'cpu' | 'memory', averageUtilization: number): k8s.MetricSpecV2 => ({
      type: 'ContainerResource',
      containerResource: { container: props.container, name, target: { type: 'Utilization', averageUtilization } },
    });

    this.resource = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        scaleTargetRef: { apiVersion: props.target.apiVersion, kind: props.target.kind, name: props.target.name },
        minReplicas: props.minReplicas,
        maxReplicas: props.maxReplicas,
        metrics: [utilization('cpu', props.cpuUtilization), utilization('memory', props.memoryUtilization)],
        behavior: {
          // react to load at once, doubling at most every 30 s; give back capacity slowly so a
          // bursty minute does not make the replica count saw-tooth.
          scaleUp: {
            stabilizationWindowSeconds: 0,
            selectPolicy: 'Max',
            policies: [
              { type: 'Percent', value: 100, periodSeconds: 30 },
              { type: 'Pods', value: 2, periodSeconds: 30 },
            ],
          },
          scaleDown: {
            stabilizationWindowSeconds: this.scaleDownStabilization.toSeconds(),
            selectPolicy: 'Min',
            policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
          },
        },
      },
    });
  }
}
