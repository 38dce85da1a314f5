import type { PlatformEndpoints } from './endpoints';
import type { CallEdge } from './model/calls';
import type { ConsulModel, RedisModel } from './model/data-components';
import type { GatewayModel } from './model/gateway';
import type { IstioConfig } from './model/mesh';
import type { ServiceModel } from './model/service';
import type { TelemetryModel } from './model/telemetry';
import type { EnvironmentName } from './schema';

export * from './model/calls';
export * from './model/data-components';
export * from './model/gateway';
export * from './model/mesh';
export * from './model/service';
export * from './model/telemetry';

/** Everything one environment needs, resolved from the catalog: overlays applied, defaults filled in. */
export interface PlatformModel {
  readonly environment: EnvironmentName;
  readonly platform: {
    readonly name: string;
    readonly domain: string;
    readonly registry: string;
  };
  readonly namespaces: Namespaces;
  readonly hostnames: { readonly api: string };
  readonly telemetry: TelemetryModel;
  /** Every service, sorted by name. */
  readonly services: readonly ServiceModel[];
  /** Every allowed call, sorted by caller then callee. */
  readonly edges: readonly CallEdge[];
  /** The mesh of this environment: the IstioOperator and the Istio Helm values are built from it. */
  readonly istio: IstioConfig;
  /** The API gateway's settings, defaults filled in (catalog `platform.kong` and the environment's `gateway`). */
  readonly gateway: GatewayModel;
  /** The Redis cluster of this environment (overlay applied); absent when the catalog has none. */
  readonly redis?: RedisModel;
  /** The Consul servers of this environment (overlay applied); absent when the catalog has none. */
  readonly consul?: ConsulModel;
  /** Every component and outside workload as the others reach it (names, selectors, principals, ports). */
  readonly endpoints: PlatformEndpoints;
}

export interface Namespaces {
  /** The application services (and Kong, which is the api-gateway service). */
  readonly apps: string;
  /** Redis and Consul. */
  readonly data: string;
  /** Collector, Jaeger, Loki, dashboards. */
  readonly observability: string;
  /** Istio's root namespace, where mesh-wide policy lives. */
  readonly istioRoot: string;
  /**
   * Where Prometheus (Prometheus Operator, assumed present) runs; it scrapes pods through the
   * sidecar's merged metrics port 15020, so each namespace admits it there.
   */
  readonly monitoring: string;
}
