import type { Endpoint } from '../../catalog/endpoints';
import type { NetworkRule } from './network-access';

/**
 * Where Prometheus scrapes every meshed pod: the sidecar's merged metrics endpoint. Istio serves
 * the app's `prometheus.io/*`-annotated metrics merged with its own there, in plain text and
 * outside mTLS, so a Prometheus outside the mesh can scrape under STRICT mode.
 *
 * @see https://istio.io/latest/docs/ops/integrations/prometheus/#option-1-metrics-merging
 */
export const ISTIO_MERGED_METRICS = { port: 15020, path: '/stats/prometheus' } as const;

/** The NetworkPolicy ingress rule that lets Prometheus's pods (and nothing else) scrape the selected pods. */
export function prometheusScrapeRule(prometheus: Pick<Endpoint, 'namespace' | 'selector'>): NetworkRule {
  return { peers: [{ namespace: prometheus.namespace, pods: { ...prometheus.selector } }], ports: [{ port: ISTIO_MERGED_METRICS.port }] };
}
