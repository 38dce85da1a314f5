import { Construct } from 'constructs';
import { AuthorizationPolicy, type AuthorizationRule } from './authorization-policy';
import { NetworkAccess, type NetworkRule } from './network-access';

export interface WorkloadAccessProps {
  /** The workload's name; names both policies. */
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
  /** The workload's pod selector labels. */
  readonly selector: Record<string, string>;
  /**
   * Istio ALLOW rules: who may call the workload, on which ports.
   * @default [] - no ALLOW policy; the namespace's allow-nothing applies
   */
  readonly authorization?: readonly AuthorizationRule[];
  /** @default [] - the namespace's default deny applies */
  readonly ingress?: readonly NetworkRule[];
  /** @default - no egress rule; the namespace's default deny applies */
  readonly egress?: readonly NetworkRule[];
}

/**
 * The access rules of one platform workload at both layers (SECURITY.md M3, M6): an ALLOW
 * AuthorizationPolicy naming its callers' principals, and a NetworkPolicy admitting their pods
 * and opening its own egress. Data-plane components (Redis, Consul, telemetry) use it; catalog
 * services use ServiceAccess, which derives both layers from their callers.
 */
export class WorkloadAccess extends Construct {
  public static readonly sourceFile = __filename;
  public readonly authorizationPolicy?: AuthorizationPolicy;
  public readonly networkAccess: NetworkAccess;

  constructor(scope: Construct, id: string, props: WorkloadAccessProps) {
    super(scope, id);
    const { name, namespace, labels, selector } = props;
    if (props.authorization && props.authorization.length > 0) {
      this.authorizationPolicy = new AuthorizationPolicy(this, 'AuthorizationPolicy', { name, namespace, labels, selector, rules: props.authorization });
    }
    this.networkAccess = new NetworkAccess(this, 'NetworkAccess', { name, namespace, labels, podSelector: selector, ingress: props.ingress, egress: props.egress });
  }
}
