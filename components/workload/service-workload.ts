import { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { workloadMetadata, type LabelIdentity } from '../common/labels';
import { TMP_MOUNT, TMP_VOLUME } from '../common/pod-hardening';
import { ConfigFiles } from './config-files';
import { hardenedContainer, secretEnv, type ContainerResources } from './container';
import { hardenedPodTemplate } from './pod-template';
import { Probe, type ProbeTiming } from './probe';
import { ReplicaScaling, type ReplicaScalingProps } from './replica-scaling';
import { rolloutSpec } from './rollout';
import { servicePorts } from './service-ports';

/** One HTTP probe of the catalog: a path on the http port, and its timing. */
export interface HttpProbe extends ProbeTiming {
  readonly path: string;
}

export interface ServiceWorkloadProps {
  /** Names the ServiceAccount, Deployment, Service, container and autoscaler. */
  readonly name: string;
  readonly namespace: string;
  /** Fully qualified, pinned image reference. */
  readonly image: string;
  readonly labels: Omit<LabelIdentity, 'name'>;
  readonly ports: { readonly http: number; readonly grpc?: number };
  readonly resources: ContainerResources;
  readonly probes: { readonly startup: HttpProbe; readonly readiness: HttpProbe; readonly liveness: HttpProbe };
  /**
   * Replica bounds; with `autoscaling` an HPA owns the count and the Deployment leaves
   * `spec.replicas` unset, without it the Deployment runs exactly `min` replicas.
   */
  readonly replicas: ReplicaScalingProps['replicas'];
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

/** The port every service serves its API, probes and `/metrics` on; probes refer to it by name. */
const HTTP_PORT_NAME = 'http';

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
  public readonly configMap?: k8s.KubeConfigMap;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly scaling: ReplicaScaling;

  constructor(scope: Construct, id: string, props: ServiceWorkloadProps) {
    super(scope, id);
    const { name, namespace, replicas } = props;
    if (replicas.min < 1 || replicas.min > replicas.max) {
      throw new Error(`workload ${name}: replicas.min (${replicas.min}) must be between 1 and replicas.max (${replicas.max})`);
    }
    if (replicas.max > 1 && !replicas.autoscaling && replicas.min !== replicas.max) {
      throw new Error(`workload ${name}: replicas ${replicas.min}..${replicas.max} need autoscaling targets, or equal bounds for a fixed count`);
    }
    this.configMountPath = props.configMountPath ?? '/app/config';
    this.runAsUser = props.runAsUser ?? 10001;
    this.terminationGracePeriod = props.terminationGracePeriod ?? Duration.seconds(30);

    const { labels, selector, metadata } = workloadMetadata({ ...props.labels, name }, namespace);

    // services never call the Kubernetes API (SECURITY.md P13).
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    const files = configFiles(props.config ?? {});
    const config = Object.keys(files).length > 0 ? new ConfigFiles(this, 'ConfigMap', { metadata: { ...metadata, name: `${name}-config` }, files, mountPath: this.configMountPath }) : undefined;
    this.configMap = config?.configMap;

    const ports = [
      { name: HTTP_PORT_NAME, port: props.ports.http, appProtocol: 'http' as const },
      ...(props.ports.grpc ? [{ name: 'grpc', port: props.ports.grpc, appProtocol: 'grpc' as const }] : []),
    ];
    const probe = (p: HttpProbe) => Probe.http(p.path, HTTP_PORT_NAME, p);
    this.deployment = new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        ...rolloutSpec(replicas),
        selector: { matchLabels: selector },
        template: hardenedPodTemplate({
          labels,
          serviceAccountName: this.serviceAccount.name,
          runAsUser: this.runAsUser,
          terminationGracePeriod: this.terminationGracePeriod,
          configChecksumOf: config?.files,
          metrics: { port: props.ports.http },
          placement: { spread: selector },
          containers: [
            hardenedContainer({
              name,
              image: props.image,
              ports,
              env: serviceEnvironment(props),
              resources: props.resources,
              probes: { startup: probe(props.probes.startup), readiness: probe(props.probes.readiness), liveness: probe(props.probes.liveness) },
              ...(config ? { mounts: [TMP_MOUNT, config.mount] } : {}),
            }),
          ],
          ...(config ? { volumes: [TMP_VOLUME, config.volume] } : {}),
        }),
      },
    });

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: { type: 'ClusterIP', selector: props.serviceSelector ?? selector, ports: servicePorts(ports) },
    });

    this.scaling = new ReplicaScaling(this, 'Scaling', {
      name,
      namespace,
      labels,
      selector,
      target: { apiVersion: this.deployment.apiVersion, kind: this.deployment.kind, name },
      container: name,
      replicas,
    });
  }
}

/** The service's config entries as files, one JSON document per key, in key order. */
function configFiles(config: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.keys(config).sort().map((key) => [key, `${JSON.stringify(config[key], null, 2)}\n`]));
}

/** The container's variables: the catalog's, then those read from Secrets and ConfigMaps, then OpenTelemetry's. */
function serviceEnvironment(props: ServiceWorkloadProps): k8s.EnvVar[] {
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
    ...(props.secretEnv ?? []).map(({ env, secret, key }) => secretEnv(env, { name: secret, key })),
    ...(props.configMapEnv ?? []).map(({ env, configMap, key }) => ({ name: env, valueFrom: { configMapKeyRef: { name: configMap, key } } })),
    ...telemetry,
  ];
}
