import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { basename, dirname } from 'node:path';
import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import type { JaegerStorageModel } from '../../catalog/model';
import { contentChecksum } from '../common/checksum';
import { selectorLabels, stableLabels, standardLabels } from '../common/labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpVolume } from '../common/pod-hardening';
import { declarePolicyException } from '../common/policy-exception';
import { goMemLimit } from './collector-config';
import { BADGER_DIR, ES_CA_FILE, ES_CREDENTIAL_ENV, JAEGER_PORTS, jaegerConfig } from './jaeger-config';
import { configYaml, httpGetProbe, mergedMetricsAnnotations, POD_IP_ENV, resourceRequirements, type ContainerResources } from './telemetry-pod';

export interface JaegerProps {
  /** @default PLATFORM_COMPONENTS.jaeger.name (catalog/endpoints.ts) */
  readonly name?: string;
  readonly namespace: string;
  readonly instance: string;
  readonly partOf: string;
  /** Pinned `jaegertracing/jaeger:2.x` image. */
  readonly image: string;
  readonly version: string;
  readonly resources: ContainerResources;
  readonly storage: JaegerStorageModel;
  readonly retentionHours: number;
  /** @default 10001 (the image's user) */
  readonly runAsUser?: number;
}

/**
 * Jaeger v2, one replica: OTLP in from the gateway collector, the query UI/API on a ClusterIP
 * Service only, traces in Badger on a PVC (StatefulSet volume claim) or in an external
 * Elasticsearch/OpenSearch whose credentials come from a Secret.
 *
 * @see https://www.jaegertracing.io/docs/2.8/deployment/
 */
export class Jaeger extends Construct {
  public static readonly sourceFile = __filename;
  public readonly name: string;
  public readonly runAsUser: number;
  public readonly selector: Record<string, string>;
  public readonly config: ReturnType<typeof jaegerConfig>;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: JaegerProps) {
    super(scope, id);
    this.name = props.name ?? PLATFORM_COMPONENTS.jaeger.name;
    this.runAsUser = props.runAsUser ?? 10001;
    const { namespace, storage } = props;
    const identity = { name: this.name, instance: props.instance, component: 'telemetry', partOf: props.partOf, version: props.version };
    const labels = standardLabels(identity);
    this.selector = selectorLabels(identity);
    const metadata = { name: this.name, namespace, labels };

    const serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    this.config = jaegerConfig({ storage, retentionHours: props.retentionHours, indexPrefix: props.instance, memoryLimit: props.resources.limits.memory });
    const data = { 'config.yaml': configYaml(this.config) };
    const configMap = new k8s.KubeConfigMap(this, 'ConfigMap', { metadata, data });

    const external = storage.backend === 'elasticsearch' || storage.backend === 'opensearch' ? storage : undefined;
    const credentials: k8s.EnvVar[] = external
      ? [
          { name: ES_CREDENTIAL_ENV.username, valueFrom: { secretKeyRef: { name: external.credentials.secret, key: external.credentials.usernameKey } } },
          { name: ES_CREDENTIAL_ENV.password, valueFrom: { secretKeyRef: { name: external.credentials.secret, key: external.credentials.passwordKey } } },
        ]
      : [];
    const tmp = tmpVolume();
    const mounts: k8s.VolumeMount[] = [tmp.mount, { name: 'config', mountPath: '/conf', readOnly: true }];
    const volumes: k8s.Volume[] = [tmp.volume, { name: 'config', configMap: { name: configMap.name } }];
    if (storage.backend === 'badger') mounts.push({ name: 'data', mountPath: BADGER_DIR });
    if (external?.ca) {
      mounts.push({ name: 'es-ca', mountPath: dirname(ES_CA_FILE), readOnly: true });
      volumes.push({ name: 'es-ca', secret: { secretName: external.ca.secret, items: [{ key: external.ca.key, path: basename(ES_CA_FILE) }] } });
    }

    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: this.selector,
        ports: [
          { name: 'grpc-otlp', port: JAEGER_PORTS.otlpGrpc, targetPort: k8s.IntOrString.fromString('grpc-otlp'), protocol: 'TCP', appProtocol: 'grpc' },
          { name: 'http-query', port: JAEGER_PORTS.query, targetPort: k8s.IntOrString.fromString('http-query'), protocol: 'TCP', appProtocol: 'http' },
        ],
      },
    });

    this.statefulSet = new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata,
      spec: {
        // one writer: Badger is an embedded, single-process store.
        replicas: 1,
        serviceName: this.service.name,
        selector: { matchLabels: this.selector },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels, annotations: { ...mergedMetricsAnnotations(JAEGER_PORTS.selfMetrics), 'checksum/config': contentChecksum(data) } },
          spec: {
            serviceAccountName: serviceAccount.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurityContext(this.runAsUser),
            containers: [
              {
                name: this.name,
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                args: ['--config=/conf/config.yaml'],
                ports: [
                  { name: 'grpc-otlp', containerPort: JAEGER_PORTS.otlpGrpc, protocol: 'TCP' },
                  { name: 'http-query', containerPort: JAEGER_PORTS.query, protocol: 'TCP' },
                  { name: 'health', containerPort: JAEGER_PORTS.health, protocol: 'TCP' },
                ],
                env: [POD_IP_ENV, { name: 'GOMEMLIMIT', value: goMemLimit(props.resources.limits.memory) }, ...credentials],
                resources: resourceRequirements(props.resources),
                readinessProbe: httpGetProbe('/status', 'health', 5),
                livenessProbe: httpGetProbe('/status', 'health', 10),
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: mounts,
              },
            ],
            volumes,
          },
        },
        ...(storage.backend === 'badger'
          ? {
              volumeClaimTemplates: [
                { metadata: { name: 'data', labels: stableLabels(identity) }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString(storage.size) } } } },
              ],
              persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
            }
          : {}),
      },
    });
    if (external) {
      declarePolicyException(
        this.statefulSet,
        'R5',
        `traces live in the external ${external.backend} cluster (daily indices), not on a PVC; its retention is that cluster's index lifecycle policy, operated outside this platform`,
      );
    }
  }
}
