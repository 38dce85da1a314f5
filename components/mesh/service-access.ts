import { Construct } from 'constructs';
import { firstRepeated } from '../common/first-repeated';
import type { NamespacedObjectProps } from '../common/namespaced-object';
import { AuthorizationPolicy } from './authorization-policy';
import { NetworkAccess, type NetworkRule } from './network-access';

/** One caller of a service: who (mesh identity and pods) and what it may do. */
export interface CallerAccess {
  /** `cluster.local/ns/<namespace>/sa/<service account>`. */
  readonly principal: string;
  /** The caller's pod labels, for the NetworkPolicy. */
  readonly pods: Record<string, string>;
  /** @default - the policy's namespace */
  readonly namespace?: string;
  readonly methods: readonly string[];
  readonly paths: readonly string[];
}

export interface ServiceAccessProps extends NamespacedObjectProps {
  /** The service's name; names both policies. */
  readonly name: string;
  /** The service's pod selector labels. */
  readonly selector: Record<string, string>;
  /** Ports the service's pods listen on; callers are admitted on these. */
  readonly ports: readonly number[];
  /**
   * Who may call the service, one ALLOW rule and one NetworkPolicy ingress rule each.
   * @default [] - the namespace's allow-nothing applies
   */
  readonly callers?: readonly CallerAccess[];
  /**
   * Where the service's pods may connect to (its callees, platform dependencies).
   * @default [] - the namespace's default deny applies
   */
  readonly egress?: readonly NetworkRule[];
}

/**
 * The access rules of one service, at both layers: an ALLOW AuthorizationPolicy on its pods listing
 * exactly its callers' principals with their methods and paths (SECURITY.md M3), and a
 * NetworkPolicy admitting the same callers' pods on its ports and opening its own egress (M6).
 * A service nobody calls gets no ALLOW policy: the namespace's allow-nothing denies it everything.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export class ServiceAccess extends Construct {
  public static readonly sourceFile = __filename;
  public readonly callers: readonly CallerAccess[];
  public readonly egress: readonly NetworkRule[];
  public readonly authorizationPolicy?: AuthorizationPolicy;
  public readonly networkAccess: NetworkAccess;

  constructor(scope: Construct, id: string, props: ServiceAccessProps) {
    super(scope, id);
    this.callers = props.callers ?? [];
    this.egress = props.egress ?? [];
    if (this.callers.length > 0 && props.ports.length === 0) throw new Error(`service access ${props.name}: has callers but no ports to admit them on`);
    const repeated = firstRepeated(this.callers.map((c) => c.principal));
    if (repeated) throw new Error(`service access ${props.name}: caller ${repeated} is listed twice; merge its methods and paths`);

    if (this.callers.length > 0) {
      this.authorizationPolicy = new AuthorizationPolicy(this, 'AuthorizationPolicy', {
        name: props.name,
        namespace: props.namespace,
        labels: props.labels,
        selector: props.selector,
        // the port too: callers are granted HTTP methods and paths, never the service's other ports (gRPC).
        rules: this.callers.map((c) => ({ principals: [c.principal], to: [{ methods: c.methods, paths: c.paths, ports: props.ports.map(String) }] })),
      });
    }
    const ports = props.ports.map((port) => ({ port }));
    this.networkAccess = new NetworkAccess(this, 'NetworkAccess', {
      name: props.name,
      namespace: props.namespace,
      labels: props.labels,
      podSelector: props.selector,
      ingress: this.callers.map((c) => ({ peers: [{ namespace: c.namespace, pods: c.pods }], ports })),
      egress: this.egress,
    });
  }
}
