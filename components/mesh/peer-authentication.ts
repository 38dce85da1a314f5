import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

export interface PeerAuthenticationProps {
  /** The namespace the policy covers; Istio's root namespace makes it mesh-wide. */
  readonly namespace: string;
  /**
   * Istio applies the policy named `default` without a selector to the whole namespace.
   * @default 'default'
   */
  readonly name?: string;
  readonly labels?: Record<string, string>;
}

/**
 * An Istio `security.istio.io/v1` PeerAuthentication requiring mutual TLS (`STRICT`) for every
 * workload of its namespace (SECURITY.md M1). There is deliberately no mode prop: PERMISSIVE and
 * DISABLE are never emitted, and principals in AuthorizationPolicies mean something only under STRICT.
 *
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export class PeerAuthentication extends Construct {
  public static readonly sourceFile = __filename;
  public readonly name: string;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: PeerAuthenticationProps) {
    super(scope, id);
    this.name = props.name ?? 'default';
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: this.name, namespace: props.namespace, ...(props.labels ? { labels: props.labels } : {}) },
      spec: { mtls: { mode: 'STRICT' } },
    });
  }
}
