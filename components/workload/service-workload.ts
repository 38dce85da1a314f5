import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { contentChecksum } from '../common/checksum';
import { selectorLabels, standardLabels, type LabelIdentity } from '../common/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, spreadAcrossNodesAndZones, tmpVolume } from '../common/pod-hardening';
import { DisruptionBudget } from './disruption-budget';
import { HorizontalAutoscaler } from './horizontal-autoscaler';
import { rolloutSpec } from './rollout';

/** One HTTP probe: path on the http port, how often, how long, how many failures. */
export interface HttpProbe {
  readonly path: string;
  readonly period: Duration;
  readonly timeout: Duration;
  readonly failureThreshold: number;
}

export interface ServiceWorkloadProps {
  /** Names the ServiceAccount, Deployment, Service, container and autoscaler. */
  readonly name: string;
  readonly namespace: string;
  /** Fully qualified, pinned image reference. */
  readonly image: string;
  readonly labels: Omit<LabelIdentity, 'name'>;
  readonly ports: { readonly http: number; readonly grpc?: number };
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly probes: { readonly startup: HttpProbe; readonly readiness: HttpProbe; readonly liveness: HttpProbe };
  /**
   * Replica bounds; with `autoscaling` an HPA owns the count and the Deployment leaves
   * `spec.replicas` unset, without it the Deployment runs exactly `min` replicas.
   */
  readonly replicas: {
    readonly min: number;
    readonly max: number;
    readonly autoscaling?: { readonly cpuUtilization: number; readonly memoryUtilization: number };
  };
  /**
   * Plain environment variables.
   * @default - none
   */
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  /**
   * Variables read from Secrets that already exist in the namespace.
   * @default - none
   */
  readonly secretEnv?: readonly { readonly env: string; readonly secret: string; readonly key: string }[];
  /**
   * Variables read from ConfigMaps in the namespace that other components emit (`REDIS_URL` from
   * `redis-config`).
   * @default - none
   */
  readonly configMapEnv?: readonly { readonly env: string; readonly configMap: string; readonly key: string }[];
  /**
   * Configuration files, mounted read-only at `configMountPath` as `<key>` with JSON content.
   * @default - no ConfigMap
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /** @default "/app/config" */
  readonly configMountPath?: string;
  /** The environment name, reported as the `deployment.environment.name` resource attribute. */
  readonly environment: string;
  /** OTLP/gRPC endpoint of the collector, e.g. `http://otel-collector.<ns>.svc.cluster.local:4317`. */
  readonly otlpEndpoint: string;
  /** @default 10001 */
  readonly runAsUser?: number;
  /** @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
  /**
   * The Service's selector. A service with a canary selects by app name only, so both tracks
   * (each another `app.kubernetes.io/instance`) serve it.
   * @default - the Deployment's selector labels
   */
  readonly serviceSelector?: Record<string, string>;
}

/** Container name, port names and the metrics path every service shares. */
const HTTP_PORT_NAME = 'http';
const GRPC_PORT_NAME = 'grpc';
const METRICS_PATH = '/metrics';

/**
 * Everything one catalog service runs as: its own ServiceAccount (its mesh identity), a hardened
 * Deployment, a ClusterIP Service with named ports, a ConfigMap for its config, and, when it runs
 * more than one replica, an HPA and a PodDisruptionBudget.
 *
 * Built on cdk8s-plus-28's L1 classes rather than its L2 `Deployment`: the L2 API cannot omit
 * `spec.replicas` under an HPA, set `topologySpreadConstraints`, or keep its
 * `cdk8s.io/metadata.addr` selector label and resource defaults out (DESIGN.md "Workload defaults").
 */
export class ServiceWorkload extends Construct {
  public static readonly sourceFile = __filename;
  public readonly configMountPath: string;
  public readonly runAsUser: number;
  public readonly terminationGracePeriod: Duration;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly configMap?: k8s.KubeConfigMap;
  public readonly autoscaler?: HorizontalAutoscaler;
  public readonly disruptionBudget?: DisruptionBudget;

  constructor(scope: Construct, id: string, props: ServiceWorkloadProps) {
    super(scope, id);
    const { name, namespace } = props;
    if (props.replicas.min < 1 || props.replicas.min > props.replicas.max) {
      throw new Error(`workload ${name}: replicas.min (${props.replicas.min}) must be between 1 and replicas.max (${props.replicas.max})`);
    }
    if (props.replicas.max > 1 && !props.replicas.autoscaling && props.replicas.min !== props.replicas.max) {
      throw new Error(`workload ${name}: replicas ${props.replicas.min}..${props.replicas.max} need autoscaling targets, or equal bounds for a fixed count`);
    }
    this.configMountPath = props.configMountPath ?? '/app/config';
    this.runAsUser = props.runAsUser ?? 10001;
    this.terminationGracePeriod = props.terminationGracePeriod ?? Duration.seconds(30);

    const identity = { ...props.labels, name };
    const labels = standardLabels(identity);
    const selector = selectorLabels(identity);
    const metadata = { name, namespace, labels };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata,
      // services never call the Kubernetes API (SECURITY.md P13).
      automountServiceAccountToken: false,
    });

    const config = props.config ?? {};
    const configData = Object.fromEntries(Object.keys(config).sort().map((key) => [key, `${JSON.stringify(config[key], null, 2)}\n`]));
    const hasConfig = Object.keys(configData).length > 0;
    if (hasConfig) {
      this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', { metadata: { ...metadata, name: `${name}-config` }, data: configData });
    }

    const tmp = tmpVolume();
    const volumes: k8s.Volume[] = [tmp.volume];
    const mounts: k8s.VolumeMount[] = [tmp.mount];
    if (this.configMap) {
      volumes.push({ name: 'config', configMap: { name: this.configMap.name } });
      mounts.push({ name: 'config', mountPath: this.configMountPath, readOnly: true });
    }

    const autoscaled = props.replicas.autoscaling !== undefined;
    const deploymentProps: k8s.KubeDeploymentProps = {
      metadata,
      spec: {
        ...rolloutSpec(props.replicas, autoscaled),
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels,
            annotations: {
              // Istio merges these into its own scrape endpoint (15020) under STRICT mTLS.
              'prometheus.io/scrape': 'true',
              'prometheus.io/port': String(props.ports.http),
              'prometheus.io/path': METRICS_PATH,
              ...(hasConfig ? { 'checksum/config': contentChecksum(configData) } : {}),
            },
          },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: this.terminationGracePeriod.toSeconds(),
            securityContext: restrictedPodSecurityContext(this.runAsUser),
            topologySpreadConstraints: spreadAcrossNodesAndZones(selector),
            containers: [
              {
                name,
                image: props.image,
                // tags are immutable in the platform registry and pinned in the catalog.
                imagePullPolicy: 'IfNotPresent',
                ports: [
                  { name: HTTP_PORT_NAME, containerPort: props.ports.http, protocol: 'TCP' },
                  ...(props.ports.grpc ? [{ name: GRPC_PORT_NAME, containerPort: props.ports.grpc, protocol: 'TCP' }] : []),
                ],
                env: this.environment(props),
                resources: {
                  requests: { cpu: k8s.Quantity.fromString(props.resources.requests.cpu), memory: k8s.Quantity.fromString(props.resources.requests.memory) },
                  limits: { cpu: k8s.Quantity.fromString(props.resources.limits.cpu), memory: k8s.Quantity.fromString(props.resources.limits.memory) },
                },
                startupProbe: httpProbe(props.probes.startup),
                readinessProbe: httpProbe(props.probes.readiness),
                livenessProbe: httpProbe(props.probes.liveness),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: mounts,
              },
            ],
            volumes,
          },
        },
      },
    };
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', deploymentProps);

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: props.serviceSelector ?? selector,
        ports: [
          { name: HTTP_PORT_NAME, port: props.ports.http, targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP', appProtocol: 'http' },
          ...(props.ports.grpc
            ? [{ name: GRPC_PORT_NAME, port: props.ports.grpc, targetPort: k8s.IntOrString.fromString(GRPC_PORT_NAME), protocol: 'TCP', appProtocol: 'grpc' }]
            : []),
        ],
      },
    });

    if (props.replicas.autoscaling) {
      this.autoscaler = new HorizontalAutoscaler(this, 'Autoscaler', {
        name,
        namespace,
        labels,
        target: { apiVersion: this.deployment.apiVersion, kind: this.deployment.kind, name },
        container: name,
        minReplicas: props.replicas.min,
        maxReplicas: props.replicas.max,
        cpuUtilization: props.replicas.autoscaling.cpuUtilization,
        memoryUtilization: props.replicas.autoscaling.memoryUtilization,
      });
    }
    if (props.replicas.max > 1) {
      this.disruptionBudget = new DisruptionBudget(this, 'DisruptionBudget', { name, namespace, labels, selector });
    }
  }

  private environment(props: ServiceWorkloadProps): k8s.EnvVar[] {
    const telemetry: k8s.EnvVar[] = [
      { name: 'OTEL_SERVICE_NAME', value: props.name },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: props.otlpEndpoint },
      { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' },
      {
        name: 'OTEL_RESOURCE_ATTRIBUTES',
        value: [
          `service.namespace=${props.labels.partOf}`,
          `deployment.environment.name=${props.environment}`,
          ...(props.labels.version ? [`service.version=${props.labels.version}`] : []),
        ].join(','),
      },
    ];
    return [
      ...(props.env ?? []).map(({ name, value }) => ({ name, value })),
      ...(props.secretEnv ?? []).map(({ env, secret, key }) => ({ name: env, valueFrom: { secretKeyRef: { name: secret, key } } })),
      ...(props.configMapEnv ?? []).map(({ env, configMap, key }) => ({ name: env, valueFrom: { configMapKeyRef: { name: configMap, key } } })),
      ...telemetry,
    ];
  }
}

function httpProbe(probe: HttpProbe): k8s.Probe {
  return {
    httpGet: { path: probe.path, port: k8s.IntOrString.fromString(HTTP_PORT_NAME), scheme: 'HTTP' },
    periodSeconds: probe.period.toSeconds(),
    timeoutSeconds: probe.timeout.toSeconds(),
    failureThreshold: probe.failureThreshold,
  };
}

