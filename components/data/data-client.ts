import { k8s } from '../common/k8s';
import type { Endpoint } from '../../catalog/endpoints';
import { workloadMetadata, type LabelIdentity, type WorkloadMetadata } from '../common/labels';
import type { AuthorizationRule } from '../mesh/authorization-policy';
import type { NetworkRule } from '../mesh/network-access';

/** A workload allowed to reach a data component: its mesh identity and its pods, for both policy layers. */
export interface DataClient {
  /** Istio principal, `cluster.local/ns/<namespace>/sa/<service account>`. */
  readonly principal: string;
  readonly namespace: string;
  /** The client pods' selector labels. */
  readonly pods: Record<string, string>;
}

/**
 * What a data component's clients may do, at both layers: one ALLOW rule naming their principals
 * and one NetworkPolicy ingress rule from their pods, both on `port` only, clients in a stable
 * order; no rule at all when nothing uses the component.
 */
export function clientAccess(clients: readonly DataClient[], port: number): { authorization: AuthorizationRule[]; network: NetworkRule[] } {
  if (clients.length === 0) return { authorization: [], network: [] };
  const sorted = [...clients].sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));
  return {
    authorization: [{ principals: sorted.map((c) => c.principal), to: [{ ports: [String(port)] }] }],
    network: [{ peers: sorted.map((c) => ({ namespace: c.namespace, pods: c.pods })), ports: [{ port }] }],
  };
}

/** Env vars with the pod's own name, namespace and IP from the downward API. */
export function podIdentityEnv(...fields: ('POD_NAME' | 'POD_NAMESPACE' | 'POD_IP')[]): k8s.EnvVar[] {
  const paths = { POD_NAME: 'metadata.name', POD_NAMESPACE: 'metadata.namespace', POD_IP: 'status.podIP' };
  return fields.map((name) => ({ name, valueFrom: { fieldRef: { fieldPath: paths[name] } } }));
}

/** The identity, labels, selector and metadata of a component named by its endpoint. */
export function endpointMetadata(endpoint: Pick<Endpoint, 'name' | 'namespace' | 'selector'>, labels: Omit<LabelIdentity, 'name'>): WorkloadMetadata {
  return workloadMetadata({ ...labels, name: endpoint.name }, endpoint.namespace, { ...endpoint.selector });
}
