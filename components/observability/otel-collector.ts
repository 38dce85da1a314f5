import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { contentChecksum } from '../common/checksum';
import { selectorLabels, standardLabels } from '../common/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, spreadAcrossNodesAndZones, tmpVolume } from '../common/pod-hardening';
import { DisruptionBudget } from '../workload/disruption-budget';
import { HorizontalAutoscaler } from '../workload/horizontal-autoscaler';
import { COLLECTOR_PORTS, gatewayCollectorConfig, goMemLimit, type GatewayCollectorConfigProps } from './collector-config';
import { configYaml, httpGetProbe, mergedMetricsAnnotations, POD_IP_ENV, resourceRequirements, type ContainerResources } from './telemetry-pod';
import { rolloutSpec } from '../workload/rollout';

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

/**
 * The gateway OpenTelemetry collector: ServiceAccount, ConfigMap, Deployment, ClusterIP Service on
 * OTLP gRPC 4317 / HTTP 4318 and the Prometheus exporter 8889, HPA and PDB when it runs more than
 * one pod.
 *
 * @see https://opentelemetry.io/docs/collector/deployment/gateway/
 * @see https://github.com/open-telemetry/opentelemetry-helm-charts/tree/main/charts/opentelemetry-collector
 */
export class OtelCollector extends Construct {
  public static readonly sourceFile = __filename;
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
    const data = { 'config.yaml': configYaml(this.config) };
    this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', { metadata, data });

    const autoscaled = props.replicas.max > 1;
    const tmp = tmpVolume();
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        ...rolloutSpec(props.replicas, autoscaled),
        selector: { matchLabels: this.selector },
        template: {
          metadata: {
            labels,
            annotations: { ...mergedMetricsAnnotations(COLLECTOR_PORTS.prometheus), 'checksum/config': contentChecksum(data) },
          },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(this.runAsUser),
            topologySpreadConstraints: spreadAcrossNodesAndZones(this.selector),
            containers: [
              {
                name: this.name,
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                args: ['--config=/conf/config.yaml'],
                ports: [
                  { name: 'grpc-otlp', containerPort: COLLECTOR_PORTS.otlpGrpc, protocol: 'TCP' },
                  { name: 'http-otlp', containerPort: COLLECTOR_PORTS.otlpHttp, protocol: 'TCP' },
                  { name: 'http-metrics', containerPort: COLLECTOR_PORTS.prometheus, protocol: 'TCP' },
                  { name: 'health', containerPort: COLLECTOR_PORTS.health, protocol: 'TCP' },
                ],
                env: [POD_IP_ENV, { name: 'GOMEMLIMIT', value: goMemLimit(props.resources.limits.memory) }],
                resources: resourceRequirements(props.resources),
                readinessProbe: httpGetProbe('/', 'health', 5),
                livenessProbe: httpGetProbe('/', 'health', 10),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [tmp.mount, { name: 'config', mountPath: '/conf', readOnly: true }],
              },
            ],
            volumes: [tmp.volume, { name: 'config', configMap: { name: this.configMap.name } }],
          },
        },
      },
    });

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: this.selector,
        ports: [
          { name: 'grpc-otlp', port: COLLECTOR_PORTS.otlpGrpc, targetPort: k8s.IntOrString.fromString('grpc-otlp'), protocol: 'TCP', appProtocol: 'grpc' },
          { name: 'http-otlp', port: COLLECTOR_PORTS.otlpHttp, targetPort: k8s.IntOrString.fromString('http-otlp'), protocol: 'TCP', appProtocol: 'http' },
          { name: 'http-metrics', port: COLLECTOR_PORTS.prometheus, targetPort: k8s.IntOrString.fromString('http-metrics'), protocol: 'TCP', appProtocol: 'http' },
        ],
      },
    });

    if (autoscaled) {
      new HorizontalAutoscaler(this, 'Autoscaler', {
        name: this.name,
        namespace,
        labels,
        target: { apiVersion: this.deployment.apiVersion, kind: this.deployment.kind, name: this.name },
        container: this.name,
        minReplicas: props.replicas.min,
        maxReplicas: props.replicas.max,
        cpuUtilization: 70,
        memoryUtilization: 70,
      });
      new DisruptionBudget(this, 'DisruptionBudget', { name: this.name, namespace, labels, selector: this.selector });
    }
  }
}
