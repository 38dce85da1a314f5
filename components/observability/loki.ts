import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import type { LokiLimitsModel } from '../../catalog/model';
import { contentChecksum } from '../common/checksum';
import { selectorLabels, stableLabels, standardLabels } from '../common/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpVolume } from '../common/pod-hardening';
import { goMemLimit } from './collector-config';
import { LOKI_DATA_DIR, LOKI_PORTS, lokiConfig } from './loki-config';
import { configYaml, httpGetProbe, mergedMetricsAnnotations, resourceRequirements, type ContainerResources } from './telemetry-pod';

export interface LokiProps {
  /** @default PLATFORM_COMPONENTS.loki.name (catalog/endpoints.ts) */
  readonly name?: string;
  readonly namespace: string;
  readonly instance: string;
  readonly partOf: string;
  /** Pinned `grafana/loki:3.x` image. */
  readonly image: string;
  readonly version: string;
  readonly resources: ContainerResources;
  /** PVC size, e.g. `20Gi`. */
  readonly storage: string;
  readonly retentionHours: number;
  /**
   * Per-tenant ingestion limits.
   * @default - Loki's defaults
   */
  readonly limits?: LokiLimitsModel;
  /** @default 10001 (the image's user) */
  readonly runAsUser?: number;
}

/**
 * Loki 3 monolithic: one StatefulSet replica with its data on a PVC, a ClusterIP Service on 3100,
 * and nothing of the Helm chart's extras (no gateway, canary, memcached caches).
 *
 * @see https://grafana.com/docs/loki/latest/get-started/deployment-modes/#monolithic-mode
 */
export class Loki extends Construct {
  public static readonly sourceFile = __filename;
  public readonly name: string;
  public readonly runAsUser: number;
  public readonly selector: Record<string, string>;
  public readonly config: ReturnType<typeof lokiConfig>;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
    this.name = props.name ?? PLATFORM_COMPONENTS.loki.name;
    this.runAsUser = props.runAsUser ?? 10001;
    const { namespace } = props;
    const identity = { name: this.name, instance: props.instance, component: 'telemetry', partOf: props.partOf, version: props.version };
    const labels = standardLabels(identity);
    this.selector = selectorLabels(identity);
    const metadata = { name: this.name, namespace, labels };

    const serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    this.config = lokiConfig({ retentionHours: props.retentionHours, limits: props.limits });
    const data = { 'config.yaml': configYaml(this.config) };
    const configMap = new k8s.KubeConfigMap(this, 'ConfigMap', { metadata, data });

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: this.selector,
        ports: [{ name: 'http', port: LOKI_PORTS.http, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP', appProtocol: 'http' }],
      },
    });

    const tmp = tmpVolume();
    this.statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata,
      spec: {
        // filesystem storage is one process's: one replica (object storage would be needed for more).
        replicas: 1,
        serviceName: this.service.name,
        selector: { matchLabels: this.selector },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels, annotations: { ...mergedMetricsAnnotations(LOKI_PORTS.http), 'checksum/config': contentChecksum(data) } },
          spec: {
            serviceAccountName: serviceAccount.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            // flushes its in-memory chunks on shutdown.
            terminationGracePeriodSeconds: 300,
            securityContext: restrictedPodSecurityContext(this.runAsUser),
            containers: [
              {
                name: this.name,
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                args: ['-config.file=/etc/loki/config.yaml', '-target=all'],
                ports: [{ name: 'http', containerPort: LOKI_PORTS.http, protocol: 'TCP' }],
                env: [{ name: 'GOMEMLIMIT', value: goMemLimit(props.resources.limits.memory) }],
                resources: resourceRequirements(props.resources),
                startupProbe: httpGetProbe('/ready', 'http', 5, 60),
                readinessProbe: httpGetProbe('/ready', 'http', 10),
                livenessProbe: httpGetProbe('/ready', 'http', 10, 6),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [tmp.mount, { name: 'config', mountPath: '/etc/loki', readOnly: true }, { name: 'data', mountPath: LOKI_DATA_DIR }],
              },
            ],
            volumes: [tmp.volume, { name: 'config', configMap: { name: configMap.name } }],
          },
        },
        volumeClaimTemplates: [
          { metadata: { name: 'data', labels: stableLabels(identity) }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString(props.storage) } } } },
        ],
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      },
    });
  }
}
