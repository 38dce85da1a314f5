/**
 * The mesh identity of a workload: the SPIFFE-style principal Istio derives from its
 * ServiceAccount, what AuthorizationPolicies name callers by (SECURITY.md M3, M8).
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source
 */
export function meshPrincipal(namespace: string, serviceAccount: string): string {
  return `cluster.local/ns/${namespace}/sa/${serviceAccount}`;
}
