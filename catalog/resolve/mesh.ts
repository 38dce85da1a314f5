import type { PlatformEndpoints } from '../endpoints';
import type { IstioConfig } from '../model';
import type { CatalogDocument, EnvironmentName } from '../schema';

/** Istio's root namespace: mesh-wide policy (PeerAuthentication `default`) lives here. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

/**
 * The mesh when the catalog's `platform.istio` leaves a field out. Values from PLATFORM.md "Mesh"
 * (pilot 100m/128Mi..500m/512Mi, `EXTERNAL_ISTIOD=false`, gateway LoadBalancer 80→8080, 443→8443).
 */
export const DEFAULT_ISTIO = {
  version: '1.30.1',
  pilot: {
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    env: { EXTERNAL_ISTIOD: 'false' } as Record<string, string>,
  },
  ingressGateway: {
    /** Kong is the one public entry; the Istio ingress gateway is opt-in (README "One public entry"). */
    enabled: false,
    name: 'istio-ingressgateway',
    serviceType: 'LoadBalancer' as const,
    ports: [
      { name: 'http2', port: 80, targetPort: 8080 },
      { name: 'https', port: 443, targetPort: 8443 },
    ],
  },
  /** One traced request in a hundred: Istio's own default. */
  tracingSampling: 1,
};

/** The typed Istio installation of one environment: the catalog's `platform.istio` over `DEFAULT_ISTIO`. */
export function istioConfig(doc: CatalogDocument, environment: EnvironmentName, collector: PlatformEndpoints['collector']): IstioConfig {
  const entry = doc.platform.istio;
  const env = entry?.pilot?.env ?? DEFAULT_ISTIO.pilot.env;
  return {
    version: entry?.version ?? DEFAULT_ISTIO.version,
    rootNamespace: ISTIO_ROOT_NAMESPACE,
    meshId: entry?.meshId ?? `${doc.platform.name}-mesh`,
    network: entry?.network ?? `${doc.platform.name}-network`,
    pilot: {
      resources: entry?.pilot?.resources ?? DEFAULT_ISTIO.pilot.resources,
      env: Object.keys(env).sort().map((name) => ({ name, value: env[name] })),
    },
    ingressGateway: {
      enabled: entry?.ingressGateway?.enabled ?? DEFAULT_ISTIO.ingressGateway.enabled,
      name: DEFAULT_ISTIO.ingressGateway.name,
      serviceType: entry?.ingressGateway?.serviceType ?? DEFAULT_ISTIO.ingressGateway.serviceType,
      ports: entry?.ingressGateway?.ports ?? DEFAULT_ISTIO.ingressGateway.ports,
    },
    tracing: {
      provider: 'otel-tracing',
      service: collector.host,
      port: collector.ports.otlpGrpc,
      sampling: doc.environments[environment].istio?.tracingSampling ?? DEFAULT_ISTIO.tracingSampling,
    },
  };
}
