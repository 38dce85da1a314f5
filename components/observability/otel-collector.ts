import { Duration } from 'cdk8s';
import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { selectorLabels, standardLabels } from '../common/labels';
import { TMP_MOUNT, TMP_VOLUME } from '../common/pod-hardening';
import { ConfigFiles, hardenedContainer, hardenedPodTemplate, Probe, ReplicaScaling, rolloutSpec, servicePorts, type ContainerResources } from '../workload';
import { COLLECTOR_PORTS, gatewayCollectorConfig, goMemLimit, type GatewayCollectorConfigProps } from './collector-config';
import { configYaml, POD_IP_ENV } from './telemetry-pod';

export interface OtelCollectorProps {
  /** @default PLATFORM_COMPONENTS.collector.name (catalog/endpoints.ts: the name services send to) */
  readonly name?: string;
  readonly namespace: string;
  /** `app.kubernetes.io/instance`, e.g. `suoke-life-prod`. */
  readonly instance: string;
  readonly partOf: string;
  /** Pinned collector-contrib image. */
  readonly image: string;
  readonly version: string;
  readonly resources: ContainerResources;
  /** Replica bounds; with max > 1 an HPA scales between them and a PDB protects them. */
  readonly replicas: { readonly min: number; readonly max: number };
  /** Everything of the pipeline config except the memory limit, which comes from `resources`. */
  readonly pipeline: Omit<GatewayCollectorConfigProps, 'memoryLimit'>;
  /** @default 10001 (the contrib image's user) */
  readonly runAsUser?: number;
}

/** The ports the services, Jaeger's peers and Prometheus reach; the health port stays in the pod. */
const SERVICE_PORTS = [
  { name: 'grpc-otlp', port: COLLECTOR_PORTS.otlpGrpc, appProtocol: 'grpc' },
  { name: 'http-otlp', port: COLLECTOR_PORTS.otlpHttp, appProtocol: 'http' },
  { name: 'http-metrics', port: COLLECTOR_PORTS.prometheus, appProtocol: 'http' },
] as const;

/**
 * The gateway OpenTelemetry collector: ServiceAccount, ConfigMap, Deployment, ClusterIP Service on
 * OTLP gRPC 4317 / HTTP 4318 and the Prometheus exporter 8889, HPA and PDB when it runs more than
 * one pod.
 *
 * @see https://opentelemetry.io/docs/collector/deployment/gateway/
 * @see https://github.com/open-telemetry/opentelemetry-helm-charts/tree/main/charts/opentelemetry-collector
 */
export class OtelCollector extends Construct {
  public readonly name: string;
  public readonly runAsUser: number;
  public readonly config: ReturnType<typeof gatewayCollectorConfig>;
  public readonly selector: Record<string, string>;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: OtelCollectorProps) {
    super(scope, id);
    this.name = props.name ?? PLATFORM_COMPONENTS.collector.name;
    this.runAsUser = props.runAsUser ?? 10001;
    const { namespace } = props;
    const identity = { name: this.name, instance: props.instance, component: 'telemetry', partOf: props.partOf, version: props.version };
    const labels = standardLabels(identity);
    this.selector = selectorLabels(identity);
    const metadata = { name: this.name, namespace, labels };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    this.config = gatewayCollectorConfig({ ...props.pipeline, memoryLimit: props.resources.limits.memory });
    const config = new ConfigFiles(this, 'ConfigMap', { metadata, files: { 'config.yaml': configYaml(this.config) }, mountPath: '/conf' });
    this.configMap = config.configMap;

    const replicas = { ...props.replicas, ...(props.replicas.max > 1 ? { autoscaling: { cpuUtilization: 70, memoryUtilization: 70 } } : {}) };
    const health = { period: Duration.seconds(5) };
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        ...rolloutSpec(replicas),
        selector: { matchLabels: this.selector },
        template: hardenedPodTemplate({
          labels,
          serviceAccountName: this.serviceAccount.name,
          runAsUser: this.runAsUser,
          configChecksumOf: config.files,
          metrics: { port: COLLECTOR_PORTS.prometheus },
          placement: { spread: this.selector },
          containers: [
            hardenedContainer({
              name: this.name,
              image: props.image,
              args: ['--config=/conf/config.yaml'],
              ports: [...SERVICE_PORTS, { name: 'health', port: COLLECTOR_PORTS.health }],
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

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: { type: 'ClusterIP', selector: this.selector, ports: servicePorts(SERVICE_PORTS) },
    });

    new ReplicaScaling(this, 'Scaling', {
      name: this.name,
      namespace,
      labels,
      selector: this.selector,
      target: { apiVersion: this.deployment.apiVersion, kind: this.deployment.kind, name: this.name },
      container: this.name,
      replicas,
    });
  }
}
