import type { Duration } from 'cdk8s';
import { k8s } from '../common/k8s';
import { contentChecksum } from '../common/checksum';
import { preferDistinctNodes, restrictedPodSecurityContext, spreadAcrossNodesAndZones, TMP_VOLUME } from '../common/pod-hardening';

/** Where replicas go: spread over nodes and zones (stateless), or onto distinct nodes (members of a set). */
export type Placement = { readonly spread: Record<string, string> } | { readonly distinctNodes: Record<string, string> };

/** A port whose Prometheus metrics Istio merges into the sidecar's own scrape endpoint (15020). */
export interface MetricsPort {
  readonly port: number;
  /** @default "/metrics" */
  readonly path?: string;
}

export interface HardenedPodProps {
  readonly labels: Record<string, string>;
  readonly serviceAccountName: string;
  /** A non-root uid, also the gid and fsGroup. */
  readonly runAsUser: number;
  readonly containers: readonly k8s.Container[];
  /** @default - none */
  readonly initContainers?: readonly k8s.Container[];
  /** Volumes; the `/tmp` volume is appended unless listed. @default - `/tmp` only */
  readonly volumes?: readonly k8s.Volume[];
  /**
   * What the containers read at start (config files, scripts): its checksum becomes the
   * `checksum/config` annotation, so a change rolls the pods.
   * @default - no checksum annotation
   */
  readonly configChecksumOf?: unknown;
  /** @default - not scraped through the sidecar */
  readonly metrics?: MetricsPort;
  /** Annotations other than the checksum and scrape ones. @default - none */
  readonly annotations?: Record<string, string>;
  /** @default - no spreading */
  readonly placement?: Placement;
  /** @default - the Kubernetes default (30 s) */
  readonly terminationGracePeriod?: Duration;
  /** @default - the workload's default (`Always`) */
  readonly restartPolicy?: 'Never' | 'OnFailure';
}

/** The annotations that let Istio merge a component's own metrics into the sidecar's 15020 endpoint. */
export function mergedMetricsAnnotations(metrics: MetricsPort): Record<string, string> {
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(metrics.port), 'prometheus.io/path': metrics.path ?? '/metrics' };
}

/**
 * The pod template of every workload the platform runs: the restricted Pod Security Standard at
 * pod level (SECURITY.md P1-P3), its own ServiceAccount without an API token (P13), no service
 * links, a writable `/tmp`, the config checksum, and the scrape wiring of its metrics port.
 * Containers come from `hardenedContainer`.
 */
export function hardenedPodTemplate(props: HardenedPodProps): k8s.PodTemplateSpec & { spec: k8s.PodSpec } {
  const volumes = props.volumes ?? [];
  const annotations = {
    ...props.annotations,
    ...(props.metrics ? mergedMetricsAnnotations(props.metrics) : {}),
    ...(props.configChecksumOf !== undefined ? { 'checksum/config': contentChecksum(props.configChecksumOf) } : {}),
  };
  return {
    metadata: { labels: props.labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: {
      serviceAccountName: props.serviceAccountName,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      ...(props.restartPolicy ? { restartPolicy: props.restartPolicy } : {}),
      ...(props.terminationGracePeriod ? { terminationGracePeriodSeconds: props.terminationGracePeriod.toSeconds() } : {}),
      securityContext: restrictedPodSecurityContext(props.runAsUser),
      ...placement(props.placement),
      ...(props.initContainers ? { initContainers: [...props.initContainers] } : {}),
      containers: [...props.containers],
      volumes: volumes.some((v) => v.name === TMP_VOLUME.name) ? [...volumes] : [...volumes, TMP_VOLUME],
    },
  };
}

function placement(where: Placement | undefined): Pick<k8s.PodSpec, 'affinity' | 'topologySpreadConstraints'> {
  if (!where) return {};
  return 'spread' in where ? { topologySpreadConstraints: spreadAcrossNodesAndZones(where.spread) } : { affinity: preferDistinctNodes(where.distinctNodes) };
}
