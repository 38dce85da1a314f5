import { Duration } from 'cdk8s';
import { PLATFORM_COMPONENTS } from '../../catalog/endpoints';
import { k8s } from '../common/k8s';
import type { Construct } from 'constructs';
import type { LokiLimitsModel } from '../../catalog/model';
import { TMP_MOUNT, TMP_VOLUME } from '../common/pod-hardening';
import { dataClaimTemplate, hardenedContainer, Probe, RETAIN_CLAIMS } from '../workload';
import { goMemLimit } from './collector-config';
import { LOKI_DATA_DIR, LOKI_PORTS, lokiConfig } from './loki-config';
import { TelemetryComponent, type TelemetryPodOptions } from './telemetry-component';
import { type TelemetryComponentProps } from './telemetry-pod';

export interface LokiProps extends TelemetryComponentProps, Pick<TelemetryPodOptions, 'runAsUser'> {
  /** PVC size of the single-binary's filesystem store. */
  readonly storage: string;
  /** How long log lines are kept (compactor retention). */
  readonly retentionHours: number;
  /** @default - Loki's own defaults */
  readonly limits?: LokiLimitsModel;
}

/**
 * Loki 3 monolithic: one StatefulSet replica with its data on a PVC, a ClusterIP Service on 3100,
 * and nothing of the Helm chart's extras (no gateway, canary, memcached caches).
 *
 * @see https://grafana.com/docs/loki/latest/get-started/deployment-modes/#monolithic-mode
 */
export class Loki extends TelemetryComponent {
  public static readonly sourceFile = __filename;
  public readonly statefulSet: k8s.KubeStatefulSet;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id, PLATFORM_COMPONENTS.loki.name, props, props);
    const { identity } = this;

    const settings = lokiConfig({ retentionHours: props.retentionHours, limits: props.limits });
    const config = this.configFile(settings, '/etc/loki');

    const http = { name: 'http', port: LOKI_PORTS.http, appProtocol: 'http' } as const;
    const service = this.clusterService([http]);

    const ready = (period: number, failureThreshold?: number) => Probe.http('/ready', http.name, { period: Duration.seconds(period), failureThreshold });
    this.statefulSet = this.singleReplicaSet(service, {
      template: this.podTemplate(config, {
        metrics: { port: LOKI_PORTS.http },
        // ingesters flush their chunks on SIGTERM; give them the time to.
        terminationGracePeriod: Duration.minutes(5),
        containers: [
          hardenedContainer({
            name: this.name,
            image: props.image,
            args: ['-config.file=/etc/loki/config.yaml', '-target=all'],
            ports: [http],
            env: [{ name: 'GOMEMLIMIT', value: goMemLimit(props.resources.limits.memory) }],
            resources: props.resources,
            probes: { startup: ready(5, 60), readiness: ready(10), liveness: ready(10, 6) },
            mounts: [TMP_MOUNT, config.mount, { name: 'data', mountPath: LOKI_DATA_DIR }],
          }),
        ],
        volumes: [TMP_VOLUME, config.volume],
      }),
      volumeClaimTemplates: [dataClaimTemplate({ size: props.storage }, identity)],
      persistentVolumeClaimRetentionPolicy: RETAIN_CLAIMS,
    });
  }
}
