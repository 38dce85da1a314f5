import { Construct } from 'constructs';
import type { Endpoint } from '../../catalog/endpoints';
import { AuthorizationPolicy } from '../mesh/authorization-policy';
import { NetworkAccess, type PeerPort } from '../mesh/network-access';
import { prometheusScrapeRule } from '../mesh/prometheus-scrape';
import type { LabelIdentity } from '../common/labels';
import { clientAccess, endpointMetadata, type DataClient } from './data-client';

export interface MemberAccessProps {
  /** The members: name, namespace, selector, and their own mesh identity (they reach each other on `peerPorts`). */
  readonly endpoint: Pick<Endpoint, 'name' | 'namespace' | 'selector' | 'principal'>;
  readonly labels: Omit<LabelIdentity, 'name'>;
  /** Workloads that may connect on `clientPort`. */
  readonly clients: readonly DataClient[];
  readonly clientPort: number;
  /** What members use between themselves (replication, gossip, consensus), TCP or UDP. */
  readonly peerPorts: readonly PeerPort[];
  /** Prometheus, admitted on the sidecar's merged metrics port. */
  readonly prometheus: Pick<Endpoint, 'namespace' | 'selector'>;
}

/**
 * The access rules of a clustered data component, at both layers: an Istio ALLOW policy and a
 * NetworkPolicy admitting the clients on the client port only, the members to each other on their
 * peer ports only, and Prometheus on the merged metrics port; egress only between members.
 */
export class MemberAccess extends Construct {
  public static readonly sourceFile = __filename;
  public readonly authorizationPolicy: AuthorizationPolicy;
  public readonly networkAccess: NetworkAccess;

  constructor(scope: Construct, id: string, props: MemberAccessProps) {
    super(scope, id);
    const { name, namespace } = props.endpoint;
    const { labels, selector } = endpointMetadata(props.endpoint, props.labels);
    const { peerPorts } = props;
    const clients = clientAccess(props.clients, props.clientPort);
    // UDP never passes the sidecar (serf's UDP half): the NetworkPolicy alone covers it.
    const peerTcp = [...new Set(peerPorts.filter((p) => p.protocol !== 'UDP').map((p) => String(p.port)))];
    this.authorizationPolicy = new AuthorizationPolicy(this, 'AuthorizationPolicy', {
      name,
      namespace,
      labels,
      selector,
      rules: [...clients.authorization, { principals: [props.endpoint.principal], to: [{ ports: peerTcp }] }],
    });
    const members = { peers: [{ pods: selector }], ports: peerPorts };
    this.networkAccess = new NetworkAccess(this, 'NetworkAccess', {
      name,
      namespace,
      labels,
      podSelector: selector,
      ingress: [...clients.network, members, prometheusScrapeRule(props.prometheus)],
      egress: [members],
    });
  }
}
