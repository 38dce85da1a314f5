import { Duration } from 'cdk8s';
import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { basename, dirname } from 'node:path';
import { k8s } from '../common/k8s';
import type { Construct } from 'constructs';
import type { JaegerStorageModel } from '../../catalog/model';
import { TMP_MOUNT, TMP_VOLUME } from '../common/pod-hardening';
import { declarePolicyException } from '../common/policy-exception';
import { dataClaimTemplate, hardenedContainer, Probe, RETAIN_CLAIMS, secretEnv } from '../workload';
import { goMemLimit } from './collector-config';
import { BADGER_DIR, ES_CA_FILE, ES_CREDENTIAL_ENV, JAEGER_PORTS, JAEGER_SERVICE_PORTS, jaegerConfig } from './jaeger-config';
import { TelemetryComponent, type TelemetryPodOptions } from './telemetry-component';
import { POD_IP_ENV, type TelemetryComponentProps } from './telemetry-pod';

export interface JaegerProps extends TelemetryComponentProps, Pick<TelemetryPodOptions, 'runAsUser'> {
  /** Where traces are kept: Badger on the pod's PVC, or an external Elasticsearch/OpenSearch. */
  readonly storage: JaegerStorageModel;
  /** How long traces are kept (Badger TTL, and the oldest span the query service looks for). */
  readonly retentionHours: number;
}

/**
 * Jaeger v2, one replica: OTLP in from the gateway collector, the query UI/API on a ClusterIP
 * Service only, traces in Badger on a PVC (StatefulSet volume claim) or in an external
 * Elasticsearch/OpenSearch whose credentials come from a Secret.
 *
 * @see https://www.jaegertracing.io/docs/2.8/deployment/
 */
export class Jaeger extends TelemetryComponent {
  public static readonly sourceFile = __filename;
  public readonly statefulSet: k8s.KubeStatefulSet;

  constructor(scope: Construct, id: string, props: JaegerProps) {
    super(scope, id, PLATFORM_COMPONENTS.jaeger.name, props, props);
    const { storage } = props;
    const { identity } = this;

    const settings = jaegerConfig({ storage, retentionHours: props.retentionHours, indexPrefix: props.instance, memoryLimit: props.resources.limits.memory });
    const config = this.configFile(settings, '/conf');
    const external = storage.backend === 'elasticsearch' || storage.backend === 'opensearch' ? storage : undefined;
    const trustedCa = external?.ca ? externalStoreCa(external.ca) : undefined;

    const service = this.clusterService(JAEGER_SERVICE_PORTS);

    const health = (period: number) => Probe.http('/status', 'health', { period: Duration.seconds(period) });
    this.statefulSet = this.singleReplicaSet(service, {
      template: this.podTemplate(config, {
        metrics: { port: JAEGER_PORTS.selfMetrics },
        containers: [
          hardenedContainer({
            name: this.name,
            image: props.image,
            args: ['--config=/conf/config.yaml'],
            ports: [...JAEGER_SERVICE_PORTS, { name: 'health', port: JAEGER_PORTS.health }],
            env: [POD_IP_ENV, { name: 'GOMEMLIMIT', value: goMemLimit(props.resources.limits.memory) }, ...(external ? credentialEnv(external.credentials) : [])],
            resources: props.resources,
            probes: { readiness: health(5), liveness: health(10) },
            mounts: [
              TMP_MOUNT,
              config.mount,
              ...(storage.backend === 'badger' ? [{ name: 'data', mountPath: BADGER_DIR }] : []),
              ...(trustedCa ? [trustedCa.mount] : []),
            ],
          }),
        ],
        volumes: [TMP_VOLUME, config.volume, ...(trustedCa ? [trustedCa.volume] : [])],
      }),
      ...(storage.backend === 'badger'
        ? { volumeClaimTemplates: [dataClaimTemplate({ size: storage.size }, identity)], persistentVolumeClaimRetentionPolicy: RETAIN_CLAIMS }
        : {}),
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

/** The external store's credentials, from the Secret the catalog names, as the env vars the config reads. */
function credentialEnv(credentials: { readonly secret: string; readonly usernameKey: string; readonly passwordKey: string }): k8s.EnvVar[] {
  return [
    secretEnv(ES_CREDENTIAL_ENV.username, { name: credentials.secret, key: credentials.usernameKey }),
    secretEnv(ES_CREDENTIAL_ENV.password, { name: credentials.secret, key: credentials.passwordKey }),
  ];
}

/** The CA that signs the external store's certificate, from a Secret, at the path the config names. */
function externalStoreCa(ca: { readonly secret: string; readonly key: string }): { volume: k8s.Volume; mount: k8s.VolumeMount } {
  return {
    volume: { name: 'es-ca', secret: { secretName: ca.secret, items: [{ key: ca.key, path: basename(ES_CA_FILE) }] } },
    mount: { name: 'es-ca', mountPath: dirname(ES_CA_FILE), readOnly: true },
  };
}
