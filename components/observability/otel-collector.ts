import { Duration } from 'cdk8s';
import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { k8s } from '../common/k8s';
import type { Construct } from 'constructs';
import { TMP_MOUNT, TMP_VOLUME } from '../common/pod-hardening';
import { hardenedContainer, Probe, ReplicaScaling, rolloutSpec } from '../workload';
import { COLLECTOR_PORTS, COLLECTOR_SERVICE_PORTS, gatewayCollectorConfig, goMemLimit, type GatewayCollectorConfigProps } from './collector-config';
import { TelemetryComponent, type TelemetryPodOptions } from './telemetry-component';
import { POD_IP_ENV, type TelemetryComponentProps } from './telemetry-pod';

export interface OtelCollectorProps extends TelemetryComponentProps, Pick<TelemetryPodOptions, 'runAsUser'> {
  /** Replica bounds; with max > 1 an HPA scales between them and a PDB protects them. */
  readonly replicas: { readonly min: number; readonly max: number };
  /** Everything of the pipeline config except the memory limit, which comes from `resources`. */
  readonly pipeline: Omit<GatewayCollectorConfigProps, 'memoryLimit'>;
}

/**
 * The gateway OpenTelemetry collector: ServiceAccount, ConfigMap, Deployment, ClusterIP Service on
 * OTLP gRPC 4317 / HTTP 4318 and the Prometheus exporter 8889, HPA and PDB when it runs more than
 * one pod.
 *
 * @see https://opentelemetry.io/docs/collector/deployment/gateway/
 * @see https://github.com/open-telemetry/opentelemetry-helm-charts/tree/main/charts/opentelemetry-collector
 */
export class OtelCollector extends TelemetryComponent {
  public static readonly sourceFile = __filename;
  public readonly config: ReturnType<typeof gatewayCollectorConfig>;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: OtelCollectorProps) {
    super(scope, id, PLATFORM_COMPONENTS.collector.name, props, props);
    const { labels, selector, metadata } = this;

    this.config = gatewayCollectorConfig({ ...props.pipeline, memoryLimit: props.resources.limits.memory });
    const config = this.configFile(this.config, '/conf');
    this.configMap = config.configMap;

    const replicas = { ...props.replicas, ...(props.replicas.max > 1 ? { autoscaling: { cpuUtilization: 70, memoryUtilization: 70 } } : {}) };
    const health = { period: Duration.seconds(5) };
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        ...rolloutSpec(replicas),
        selector: { matchLabels: this.selector },
        template: this.podTemplate(config, {
          metrics: { port: COLLECTOR_PORTS.prometheus },
          placement: { spread: this.selector },
          containers: [
            hardenedContainer({
              name: this.name,
              image: props.image,
              args: ['--config=/conf/config.yaml'],
              ports: [...COLLECTOR_SERVICE_PORTS, { name: 'health', port: COLLECTOR_PORTS.health }],
              env: [POD_IP_ENV, { name: 'GOMEMLIMIT', value: goMemLimit(props.resources.limits.memory) }],
              resources: props.resources,
              probes: { readiness: Probe.http('/', 'health', health), liveness: Probe.http('/', 'health', { period: Duration.seconds(10) }) },
              mounts: [TMP_MOUNT, config.mount],
            }),
          ],
          volumes: [TMP_VOLUME, config.volume],
        }),
      },
    });

    this.service = this.clusterService(COLLECTOR_SERVICE_PORTS);

    new ReplicaScaling(this, 'Scaling', {
      name: this.name,
      namespace: props.namespace,
      labels,
      selector,
      target: { apiVersion: this.deployment.apiVersion, kind: this.deployment.kind, name: this.name },
      container: this.name,
      replicas,
    });
  }
}
