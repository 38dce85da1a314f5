import type { Resources } from './service';

/**
 * The typed Istio installation of one environment. One source for both install paths: the
 * IstioOperator `istioctl install -f` reads, and the Helm values the Pulumi program installs with.
 */
export interface IstioConfig {
  /** Istio release: istioctl version, Helm chart version and image tag. */
  readonly version: string;
  /** Root namespace: istiod, mesh-wide policy. */
  readonly rootNamespace: string;
  readonly meshId: string;
  readonly network: string;
  readonly pilot: {
    readonly resources: Resources;
    /** istiod environment variables, sorted by name. */
    readonly env: readonly { readonly name: string; readonly value: string }[];
  };
  readonly ingressGateway: {
    /** Installed (Helm release `gateway`, IstioOperator component enabled) only when the catalog turns it on. */
    readonly enabled: boolean;
    readonly name: string;
    readonly serviceType: 'LoadBalancer' | 'ClusterIP';
    readonly ports: readonly { readonly name: string; readonly port: number; readonly targetPort: number }[];
  };
  readonly tracing: {
    /** The extension provider's name, referenced by `defaultProviders.tracing`. */
    readonly provider: string;
    /** OTLP gRPC endpoint of the collector: host (FQDN of the Service) and port. */
    readonly service: string;
    readonly port: number;
    /** Percentage of requests traced, 0..100. */
    readonly sampling: number;
  };
}
