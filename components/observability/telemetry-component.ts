import { Construct } from 'constructs';
import { ConfigFiles, hardenedPodTemplate, servicePorts, type HardenedPodProps, type ServicePortSpec } from '../workload';
import { k8s } from '../common/k8s';
import type { LabelIdentity } from '../common/labels';
import { configYaml, TELEMETRY_UID, telemetryIdentity, type TelemetryComponentProps } from './telemetry-pod';

/** How a component's pods deviate from the telemetry defaults; each deviation is a declared exception. */
export interface TelemetryPodOptions {
  /** @default TELEMETRY_UID */
  readonly runAsUser?: number;
  /** Whether the pods get a Kubernetes API token (SECURITY.md P13). @default false */
  readonly apiToken?: boolean;
}

/**
 * What every telemetry component has before its workload: its name (the catalog's, unless given),
 * its identity labels and selector, and its own ServiceAccount, created first so each file keeps
 * the order reviewers know (ServiceAccount, config, workload, Service).
 */
export abstract class TelemetryComponent extends Construct {
  public static readonly sourceFile = __filename;
  public readonly name: string;
  /** The uid the pods run as. */
  public readonly runAsUser: number;
  public readonly selector: Record<string, string>;
  public readonly serviceAccount: k8s.KubeServiceAccount;
  protected readonly identity: LabelIdentity;
  protected readonly labels: Record<string, string>;
  protected readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };

  protected constructor(scope: Construct, id: string, defaultName: string, props: TelemetryComponentProps, options: TelemetryPodOptions = {}) {
    super(scope, id);
    this.name = props.name ?? defaultName;
    this.runAsUser = options.runAsUser ?? TELEMETRY_UID;
    const { identity, labels, selector, metadata } = telemetryIdentity(this.name, props);
    this.identity = identity;
    this.labels = labels;
    this.selector = selector;
    this.metadata = metadata;
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: options.apiToken ?? false });
  }

  /** The component's `config.yaml`, as a ConfigMap mounted read-only at `mountPath`. */
  protected configFile(config: unknown, mountPath: string): ConfigFiles {
    return new ConfigFiles(this, 'ConfigMap', { metadata: this.metadata, files: { 'config.yaml': configYaml(config) }, mountPath });
  }

  /** The ClusterIP Service other workloads reach the component through. */
  protected clusterService(ports: readonly ServicePortSpec[]): k8s.KubeService {
    return new k8s.KubeService(this, 'Service', { metadata: this.metadata, spec: { type: 'ClusterIP', selector: this.selector, ports: servicePorts(ports) } });
  }

  /** A store of one replica (Jaeger, Loki): a StatefulSet with a stable identity behind `service`. */
  protected singleReplicaSet(service: k8s.KubeService, spec: Pick<k8s.StatefulSetSpec, 'template' | 'volumeClaimTemplates' | 'persistentVolumeClaimRetentionPolicy'>): k8s.KubeStatefulSet {
    return new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: this.metadata,
      spec: { replicas: 1, serviceName: service.name, selector: { matchLabels: this.selector }, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate' }, ...spec },
    });
  }

  /** The component's hardened pod template: its labels, account and uid, rolled when `config` changes. */
  protected podTemplate(config: ConfigFiles, pod: Omit<HardenedPodProps, 'labels' | 'serviceAccountName' | 'runAsUser' | 'configChecksumOf'>): ReturnType<typeof hardenedPodTemplate> {
    return hardenedPodTemplate({ ...pod, labels: this.labels, serviceAccountName: this.serviceAccount.name, runAsUser: this.runAsUser, configChecksumOf: config.files });
  }
}

