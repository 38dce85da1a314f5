import { k8s } from './k8s';
import { Construct } from 'constructs';

/** The Pod Security Standard level a namespace enforces. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface PlatformNamespaceProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  /**
   * Pod Security Admission level, enforced and also warned and audited.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Label the namespace for Istio sidecar injection, so mesh policies apply to its pods.
   * @default true
   */
  readonly meshed?: boolean;
}

/** The Kubernetes minor version the Pod Security labels pin, matching the schemas the tests use. */
export const POD_SECURITY_VERSION = 'v1.33';

/**
 * A Namespace with Pod Security Admission enforcing `restricted` and, for meshed namespaces, the
 * sidecar injection label (SECURITY.md M5).
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 * @see https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/
 */
export class PlatformNamespace extends Construct {
  public static readonly sourceFile = __filename;
  public readonly podSecurity: PodSecurityLevel;
  public readonly meshed: boolean;
  public readonly resource: k8s.KubeNamespace;

  constructor(scope: Construct, id: string, props: PlatformNamespaceProps) {
    super(scope, id);
    this.podSecurity = props.podSecurity ?? 'restricted';
    this.meshed = props.meshed ?? true;
    const level = this.podSecurity;
    this.resource = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
          'pod-security.kubernetes.io/warn': level,
          'pod-security.kubernetes.io/warn-version': POD_SECURITY_VERSION,
          'pod-security.kubernetes.io/audit': level,
          'pod-security.kubernetes.io/audit-version': POD_SECURITY_VERSION,
          ...(this.meshed ? { 'istio-injection': 'enabled' } : {}),
        },
      },
    });
  }
}
