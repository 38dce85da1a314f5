import type { IstioConfig } from '../../catalog/model';
import { gatewayPorts } from './istio-operator';
import { meshConfig } from './mesh-config';

/** Values for the four Istio Helm charts, installed in this order, all at chart version `version`. */
export interface IstioHelmValues {
  /** Chart version of every chart: the pinned Istio release. */
  readonly version: string;
  /** `base`: CRDs and the cluster-wide validation. */
  readonly base: Record<string, unknown>;
  /** `cni`: the node agent that sets up traffic redirection instead of a privileged init container. */
  readonly cni: Record<string, unknown>;
  /** `istiod`: the control plane, mesh config, injection. */
  readonly istiod: Record<string, unknown>;
  /** `gateway`: the ingress gateway; its `name` value is also the Helm release name to use. */
  readonly gateway: Record<string, unknown>;
}

/**
 * Maps the typed Istio installation to the values of Istio's Helm charts (1.24+ flat values, as
 * `istioctl manifest translate` produces them), so the Pulumi program installs the same mesh as
 * `istioctl install -f dist/<env>/istio/istio-operator.yaml`. Pure: no engine, no cluster.
 *
 * @see https://istio.io/latest/docs/setup/install/helm/
 * @see https://github.com/istio/istio/tree/master/manifests/charts
 */
export function istioHelmValues(config: IstioConfig): IstioHelmValues {
  const global = { istioNamespace: config.rootNamespace };
  return {
    version: config.version,
    base: { global },
    // the CNI DaemonSet is privileged: it runs in the root namespace, the only one not "restricted".
    cni: { global },
    istiod: {
      global: { ...global, meshID: config.meshId, network: config.network },
      meshConfig: meshConfig(config),
      resources: config.pilot.resources,
      env: Object.fromEntries(config.pilot.env.map((e) => [e.name, e.value])),
      // tells the injector the CNI agent redirects traffic, so no istio-init container is added.
      cni: { enabled: true },
    },
    gateway: {
      name: config.ingressGateway.name,
      labels: { app: config.ingressGateway.name, istio: 'ingressgateway' },
      service: { type: config.ingressGateway.serviceType, ports: gatewayPorts(config) },
    },
  };
}
