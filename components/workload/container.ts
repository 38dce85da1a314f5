import { k8s } from '../common/k8s';
import { restrictedContainerSecurityContext, TMP_MOUNT } from '../common/pod-hardening';
import type { Probe } from './probe';

/** Requests and limits of one container, as catalog quantities (`500m`, `1Gi`). */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** The Kubernetes form of ContainerResources: always explicit, never cdk8s-plus's defaults. */
export function resourceRequirements(r: ContainerResources): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(r.requests.cpu), memory: k8s.Quantity.fromString(r.requests.memory) },
    limits: { cpu: k8s.Quantity.fromString(r.limits.cpu), memory: k8s.Quantity.fromString(r.limits.memory) },
  };
}

/** A Secret's name and key; the Secret is never synthesized, only referenced (SECURITY.md I2). */
export interface SecretKeySelector {
  readonly name: string;
  readonly key: string;
}

/** An env var read from a Secret's key: the value never appears in a manifest or a command line. */
export function secretEnv(name: string, secret: SecretKeySelector): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret.name, key: secret.key } } };
}

/** A named TCP port; probes, Services and policies refer to the name. */
export interface NamedPort {
  readonly name: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface HardenedContainerProps {
  readonly name: string;
  /** Fully qualified, pinned image reference (tags are immutable in the registries used). */
  readonly image: string;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - none */
  readonly args?: readonly string[];
  /** @default - none */
  readonly ports?: readonly NamedPort[];
  /** @default - none */
  readonly env?: readonly k8s.EnvVar[];
  readonly resources: ContainerResources;
  /** @default - no probes (a one-shot Job) */
  readonly probes?: { readonly startup?: Probe; readonly readiness?: Probe; readonly liveness?: Probe };
  /**
   * Volume mounts. `/tmp` is appended unless listed (list `TMP_MOUNT` to place it elsewhere).
   * @default - `/tmp` only
   */
  readonly mounts?: readonly k8s.VolumeMount[];
  /** @default - none */
  readonly lifecycle?: k8s.Lifecycle;
  /**
   * `false` for a container that writes no file outside its own volumes (a static binary on a
   * scratch image, an init script writing one file): no `/tmp` mount.
   * @default true
   */
  readonly writableTmp?: boolean;
}

/**
 * A container under the restricted Pod Security Standard (SECURITY.md P4-P7): no privilege
 * escalation, no capabilities, read-only root with a writable `/tmp`, explicit resources, and
 * `IfNotPresent` pulls of a pinned image.
 */
export function hardenedContainer(props: HardenedContainerProps): k8s.Container {
  const mounts = props.mounts ?? [];
  const appendTmp = props.writableTmp !== false && !mounts.some((m) => m.mountPath === TMP_MOUNT.mountPath);
  const volumeMounts = appendTmp ? [...mounts, TMP_MOUNT] : [...mounts];
  return {
    name: props.name,
    image: props.image,
    imagePullPolicy: 'IfNotPresent',
    ...(props.command ? { command: [...props.command] } : {}),
    ...(props.args ? { args: [...props.args] } : {}),
    ...(props.ports ? { ports: props.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })) } : {}),
    ...(props.env ? { env: [...props.env] } : {}),
    resources: resourceRequirements(props.resources),
    ...(props.probes?.startup ? { startupProbe: props.probes.startup.toKube() } : {}),
    ...(props.probes?.readiness ? { readinessProbe: props.probes.readiness.toKube() } : {}),
    ...(props.probes?.liveness ? { livenessProbe: props.probes.liveness.toKube() } : {}),
    ...(props.lifecycle ? { lifecycle: props.lifecycle } : {}),
    securityContext: restrictedContainerSecurityContext(),
    ...(volumeMounts.length > 0 ? { volumeMounts } : {}),
  };
}
