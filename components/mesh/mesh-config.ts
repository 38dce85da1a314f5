import type { IstioConfig } from '../../catalog/model';

/**
 * Mesh-wide settings (`meshConfig`), shared by the IstioOperator and the istiod Helm values so
 * both install paths give the same mesh.
 *
 * - access logs to the proxies' stdout, as JSON, where the log agent collects them;
 * - traces to the OTel collector over OTLP through an extension provider, on by default for
 *   every workload (`defaultProviders.tracing`), sampled at the environment's rate;
 * - `REGISTRY_ONLY`: sidecars reach only hosts Istio knows (Services, ServiceEntries), so an
 *   unknown external host is refused rather than silently passed through (README "Service mesh");
 * - paths decoded and slashes merged before AuthorizationPolicies match them, since our policies
 *   match on paths (`/api//v1` or `%2F` must not slip past a rule);
 * - Prometheus metrics merged on the sidecar's 15020, which stays reachable under STRICT mTLS.
 *
 * @see https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/
 * @see https://istio.io/latest/docs/tasks/observability/distributed-tracing/opentelemetry/
 */
export function meshConfig(config: IstioConfig): Record<string, unknown> {
  return {
    accessLogFile: '/dev/stdout',
    accessLogEncoding: 'JSON',
    enablePrometheusMerge: true,
    outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
    pathNormalization: { normalization: 'DECODE_AND_MERGE_SLASHES' },
    defaultConfig: { tracing: { sampling: config.tracing.sampling } },
    extensionProviders: [{ name: config.tracing.provider, opentelemetry: { service: config.tracing.service, port: config.tracing.port } }],
    defaultProviders: { tracing: [config.tracing.provider] },
  };
}
