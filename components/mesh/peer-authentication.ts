import type { Construct } from 'constructs';
import { CustomResource } from '../common/custom-resource';
import type { NamespacedObjectProps } from '../common/namespaced-object';

export interface PeerAuthenticationProps extends Omit<NamespacedObjectProps, 'name'> {
  /** The namespace the policy covers; Istio's root namespace makes it mesh-wide. */
  readonly namespace: string;
  /**
   * Istio applies the policy named `default` without a selector to the whole namespace.
   * @default 'default'
   */
  readonly name?: string;
}

/**
 * An Istio `security.istio.io/v1` PeerAuthentication requiring mutual TLS (`STRICT`) for every
 * workload of its namespace (SECURITY.md M1). There is deliberately no mode prop: PERMISSIVE and
 * DISABLE are never emitted, and principals in AuthorizationPolicies mean something only under STRICT.
 *
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export class PeerAuthentication extends CustomResource {
  public static readonly sourceFile = __filename;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PeerAuthenticationProps) {
    const name = props.name ?? 'default';
    super(scope, id, { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' }, { ...props, name }, { mtls: { mode: 'STRICT' } });
    this.name = name;
  }
}
