import { k8s } from '../common/k8s';
import { Construct } from 'constructs';
import { AuthorizationPolicy } from './authorization-policy';
import type { Endpoint } from '../../catalog/endpoints';
import { objectMetadata } from '../common/namespaced-object';
import { endpointPeer, NAMESPACE_NAME_LABEL, NetworkAccess } from './network-access';

export interface NamespaceIsolationProps {
  readonly namespace: string;
  readonly labels?: Record<string, string>;
  /**
   * Istio's root namespace, where istiod runs; sidecars reach it on 15012 for certificates and config.
   * @default 'istio-system'
   */
  readonly istioNamespace?: string;
  /**
   * The OTel collector that Istio's tracing provider sends every sidecar's spans to: when given,
   * every pod of the namespace may reach it on its OTLP gRPC port (policy `allow-tracing`).
   * @default - no tracing egress (the namespace opens it elsewhere)
   */
  readonly collector?: Pick<Endpoint<{ readonly otlpGrpc: number }>, 'namespace' | 'selector' | 'ports'>;
}

/** Where istiod serves xDS and certificates to sidecars. */
export const ISTIOD_XDS_PORT = 15012;

/**
 * Default deny for one namespace, at both layers: an Istio allow-nothing AuthorizationPolicy
 * (SECURITY.md M2) and a NetworkPolicy denying all ingress and egress (M6), except DNS and the
 * sidecars' connection to istiod. Every allowed flow is then an explicit policy of its own.
 *
 * @see https://istio.io/latest/docs/ops/best-practices/security/#use-default-deny-patterns
 */
export class NamespaceIsolation extends Construct {
  public static readonly sourceFile = __filename;
  public readonly istioNamespace: string;
  public readonly allowNothing: AuthorizationPolicy;
  public readonly defaultDeny: k8s.KubeNetworkPolicy;
  public readonly allowDnsAndIstiod: k8s.KubeNetworkPolicy;
  public readonly allowTracing?: NetworkAccess;

  constructor(scope: Construct, id: string, props: NamespaceIsolationProps) {
    super(scope, id);
    this.istioNamespace = props.istioNamespace ?? 'istio-system';
    const metadata = (name: string) => objectMetadata({ name, namespace: props.namespace, labels: props.labels });

    this.allowNothing = new AuthorizationPolicy(this, 'AllowNothing', { name: 'allow-nothing', namespace: props.namespace, labels: props.labels });
    this.defaultDeny = new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: metadata('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    this.allowDnsAndIstiod = new k8s.KubeNetworkPolicy(this, 'AllowDnsAndIstiod', {
      metadata: metadata('allow-dns-and-istiod'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
              { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
            ],
          },
          {
            to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: this.istioNamespace } }, podSelector: { matchLabels: { app: 'istiod' } } }],
            ports: [{ port: k8s.IntOrString.fromNumber(ISTIOD_XDS_PORT), protocol: 'TCP' }],
          },
        ],
      },
    });
    if (props.collector) {
      this.allowTracing = new NetworkAccess(this, 'AllowTracing', {
        name: 'allow-tracing',
        namespace: props.namespace,
        labels: props.labels,
        podSelector: {},
        egress: [{ peers: [endpointPeer(props.collector, props.namespace)], ports: [{ port: props.collector.ports.otlpGrpc }] }],
      });
    }
  }
}
