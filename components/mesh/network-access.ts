import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import type { Endpoint } from '../../catalog/endpoints';
import { objectMetadata, type NamespacedObjectProps } from '../common/namespaced-object';

/** Pods a NetworkPolicy rule admits: by namespace, by pod labels, or both. */
export interface Peer {
  /**
   * The peers' namespace (matched on `kubernetes.io/metadata.name`).
   * @default - the policy's own namespace
   */
  readonly namespace?: string;
  /**
   * The peers' pod labels.
   * @default - every pod of the namespace
   */
  readonly pods?: Record<string, string>;
  /**
   * Addresses outside the cluster instead of pods (e.g. an external database's range).
   * @default - pods, by namespace and labels
   */
  readonly cidr?: string;
}

/** A TCP (or UDP) port, by number or container port name. */
export interface PeerPort {
  readonly port: number | string;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

export interface NetworkRule {
  readonly peers: readonly Peer[];
  readonly ports: readonly PeerPort[];
}

export interface NetworkAccessProps extends NamespacedObjectProps {
  /** The pods this policy opens traffic for. */
  readonly podSelector: Record<string, string>;
  /** @default - no ingress opened */
  readonly ingress?: readonly NetworkRule[];
  /** @default - no egress opened */
  readonly egress?: readonly NetworkRule[];
}

/**
 * A NetworkPolicy that opens exactly the listed flows for the selected pods, on top of a
 * namespace's default deny. Policies are additive, so each flow lives in the policy of the
 * workload it concerns.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class NetworkAccess extends Construct {
  public static readonly sourceFile = __filename;
  public readonly resource: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: NetworkAccessProps) {
    super(scope, id);
    if (!props.ingress?.length && !props.egress?.length) throw new Error(`network access ${props.name}: opens nothing; give ingress or egress rules`);
    const policyTypes = [...(props.ingress?.length ? ['Ingress'] : []), ...(props.egress?.length ? ['Egress'] : [])];
    this.resource = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: objectMetadata(props),
      spec: {
        podSelector: { matchLabels: props.podSelector },
        policyTypes,
        ...(props.ingress?.length ? { ingress: props.ingress.map((r) => ({ from: r.peers.map(peer), ports: r.ports.map(port) })) } : {}),
        ...(props.egress?.length ? { egress: props.egress.map((r) => ({ to: r.peers.map(peer), ports: r.ports.map(port) })) } : {}),
      },
    });
  }
}

/** The pods of an endpoint as a peer of a policy in `policyNamespace` (the namespace named only when it differs). */
export function endpointPeer(endpoint: Pick<Endpoint, 'namespace' | 'selector'>, policyNamespace: string): Peer {
  return { ...(endpoint.namespace !== policyNamespace ? { namespace: endpoint.namespace } : {}), pods: { ...endpoint.selector } };
}

/** The label every namespace carries with its own name (Kubernetes 1.22+). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function peer(p: Peer): k8s.NetworkPolicyPeer {
  if (p.cidr) return { ipBlock: { cidr: p.cidr } };
  return {
    ...(p.namespace ? { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: p.namespace } } } : {}),
    ...(p.pods || !p.namespace ? { podSelector: { matchLabels: p.pods ?? {} } } : {}),
  };
}

function port(p: PeerPort): k8s.NetworkPolicyPort {
  return {
    port: typeof p.port === 'number' ? k8s.IntOrString.fromNumber(p.port) : k8s.IntOrString.fromString(p.port),
    protocol: p.protocol ?? 'TCP',
  };
}
