import { k8s } from '../common/k8s';
import { stringify } from 'yaml';
import { workloadMetadata, type WorkloadMetadata } from '../common/labels';
import type { ContainerResources } from '../workload/container';

/** What every telemetry component (collector, agent, Jaeger, Loki) is given. */
export interface TelemetryComponentProps {
  /** @default - the component's name in PLATFORM_COMPONENTS (catalog/endpoints.ts) */
  readonly name?: string;
  readonly namespace: string;
  /** `app.kubernetes.io/instance`, e.g. `suoke-life-prod`. */
  readonly instance: string;
  readonly partOf: string;
  /** Pinned image reference. */
  readonly image: string;
  /** The image's version, for the `app.kubernetes.io/version` label. */
  readonly version: string;
  readonly resources: ContainerResources;
}

/** A telemetry component's labels and metadata. */
export function telemetryIdentity(name: string, props: TelemetryComponentProps): WorkloadMetadata {
  return workloadMetadata({ name, instance: props.instance, component: 'telemetry', partOf: props.partOf, version: props.version }, props.namespace);
}

/** The uid of the collector-contrib, Jaeger and Loki images. */
export const TELEMETRY_UID = 10001;

/** `MY_POD_IP` from the downward API: what the receivers bind to (SECURITY.md R4). */
export const POD_IP_ENV: k8s.EnvVar = { name: 'MY_POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } };

/**
 * Config files as ConfigMap text: YAML in construction order, no line folding, so the same input
 * always gives the same bytes (and the same checksum annotation).
 */
export function configYaml(config: unknown): string {
  return stringify(config, { lineWidth: 0 });
}
