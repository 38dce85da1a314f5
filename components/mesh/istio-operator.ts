import type { Construct } from 'constructs';
import { CustomResource } from '../common/custom-resource';
import type { IstioConfig } from '../../catalog/model';
import { meshConfig } from './mesh-config';

export interface IstioOperatorProps {
  /** `metadata.name`, e.g. `suoke-life-istio`. */
  readonly name: string;
  /** The typed installation; `istioHelmValues` maps the same object to Helm values. */
  readonly config: IstioConfig;
  readonly labels?: Record<string, string>;
  /**
   * The installation profile the settings are applied on top of.
   * @default 'default'
   */
  readonly profile?: string;
}

/**
 * An `install.istio.io/v1alpha1` IstioOperator: input for `istioctl install -f`, never applied to
 * the cluster (the in-cluster operator was removed in Istio 1.24, and since 1.21 no IstioOperator
 * CRD is installed). Its chart is built with `applied: false`.
 *
 * The Istio CNI node agent is always on (SECURITY.md M7): without it every injected pod gets an
 * `istio-init` container with NET_ADMIN and NET_RAW, which the restricted Pod Security Standard
 * of our namespaces rejects.
 *
 * @see https://istio.io/latest/docs/reference/config/istio.operator.v1alpha1/
 * @see https://istio.io/latest/docs/setup/additional-setup/cni/
 */
export class IstioOperator extends CustomResource {
  public static readonly sourceFile = __filename;
  public readonly profile: string;

  constructor(scope: Construct, id: string, props: IstioOperatorProps) {
    const profile = props.profile ?? 'default';
    const { config } = props;
    const metadata = { name: props.name, namespace: config.rootNamespace, labels: props.labels };
    super(scope, id, { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator' }, metadata, {
      profile,
      tag: config.version,
      meshConfig: meshConfig(config),
      values: { global: { istioNamespace: config.rootNamespace, meshID: config.meshId, network: config.network } },
      components: {
        cni: { enabled: true },
        pilot: {
          enabled: true,
          k8s: {
            resources: config.pilot.resources,
            env: config.pilot.env.map((e) => ({ name: e.name, value: e.value })),
          },
        },
        ingressGateways: [
          {
            name: config.ingressGateway.name,
            // a second public entry only when the catalog turns it on: Kong is the edge.
            enabled: config.ingressGateway.enabled,
            k8s: { service: { type: config.ingressGateway.serviceType, ports: gatewayPorts(config) } },
          },
        ],
      },
    });
    this.profile = profile;
  }
}

/** Port the gateway's Envoy serves its readiness on; load balancers health-check it. */
export const GATEWAY_STATUS_PORT = 15021;

/**
 * The ingress gateway's Service ports: the catalog's, plus Envoy's status port, which a ports list
 * replaces in both the IstioOperator and the gateway chart, and which cloud load balancers probe.
 */
export function gatewayPorts(config: IstioConfig) {
  return [
    { name: 'status-port', port: GATEWAY_STATUS_PORT, targetPort: GATEWAY_STATUS_PORT, protocol: 'TCP' },
    ...config.ingressGateway.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: 'TCP' })),
  ];
}
