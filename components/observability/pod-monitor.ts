import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ISTIO_MERGED_METRICS } from '../mesh/prometheus-scrape';

/** Istio's merged metrics endpoint: the sidecar agent serves the app's annotated metrics plus Envoy's, in plain text. */

export interface PodMonitorProps {
  readonly name: string;
  readonly namespace: string;
  /** Must include the label the Prometheus `podMonitorSelector` matches. */
  readonly labels: Record<string, string>;
  /** The namespaces whose pods are scraped. */
  readonly targetNamespaces: readonly string[];
  /** Pod label selector. */
  readonly selector: { readonly matchLabels?: Record<string, string>; readonly matchExpressions?: readonly { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: readonly string[] }[] };
  /** @default '30s' */
  readonly interval?: string;
}

/**
 * A prometheus-operator PodMonitor scraping pods through Istio's merged metrics port 15020
 * (`/stats/prometheus`): under STRICT mTLS the app ports only accept mesh clients, while 15020
 * is served by the sidecar agent itself in plain text, merging the app's `prometheus.io/*`
 * annotated endpoint with Envoy's metrics. The pod's `app.kubernetes.io/name` becomes `service`.
 *
 * @see https://istio.io/latest/docs/ops/integrations/prometheus/#option-1-metrics-merging
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PodMonitor
 */
export class PodMonitor extends Construct {
  public static readonly sourceFile = __filename;
  public readonly interval: string;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: PodMonitorProps) {
    super(scope, id);
    if (props.targetNamespaces.length === 0) throw new Error(`pod monitor ${props.name}: targetNamespaces is empty; name the namespaces to scrape`);
    this.interval = props.interval ?? '30s';
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        namespaceSelector: { matchNames: [...props.targetNamespaces] },
        selector: {
          ...(props.selector.matchLabels ? { matchLabels: props.selector.matchLabels } : {}),
          ...(props.selector.matchExpressions ? { matchExpressions: props.selector.matchExpressions.map((e) => ({ ...e, ...(e.values ? { values: [...e.values] } : {}) })) } : {}),
        },
        podMetricsEndpoints: [
          {
            portNumber: ISTIO_MERGED_METRICS.port,
            path: ISTIO_MERGED_METRICS.path,
            scheme: 'http',
            interval: this.interval,
            relabelings: [
              { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], targetLabel: 'service' },
              { action: 'replace', sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
              { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
            ],
          },
        ],
      },
    });
  }
}
