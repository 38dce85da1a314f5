import { k8s } from '../common/k8s';
import { Construct } from 'constructs';

export interface GrafanaProvisioningProps {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Dashboard files (`<name>.json` → dashboard JSON model). */
  readonly dashboards: Readonly<Record<string, unknown>>;
  /** Datasource provisioning document. */
  readonly datasources: unknown;
  /** @default 'suoke-dashboards' */
  readonly dashboardsName?: string;
  /** @default 'suoke-datasources' */
  readonly datasourcesName?: string;
}

/**
 * Grafana content for the Grafana sidecar (kube-prometheus-stack / Grafana Helm chart convention):
 * a ConfigMap of dashboards labelled `grafana_dashboard: "1"` and one of datasources labelled
 * `grafana_datasource: "1"`. JSON is pretty-printed with stable key order.
 *
 * @see https://github.com/grafana/helm-charts/tree/main/charts/grafana#sidecar-for-dashboards
 */
export class GrafanaProvisioning extends Construct {
  public static readonly sourceFile = __filename;
  public readonly dashboards: k8s.KubeConfigMap;
  public readonly datasources: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: GrafanaProvisioningProps) {
    super(scope, id);
    const names = Object.keys(props.dashboards).sort();
    if (names.length === 0) throw new Error('grafana provisioning: dashboards is empty; give at least one dashboard');
    for (const name of names) if (!name.endsWith('.json')) throw new Error(`grafana provisioning: dashboard file "${name}" must end in .json`);
    this.dashboards = new k8s.KubeConfigMap(this, 'Dashboards', {
      metadata: { name: props.dashboardsName ?? 'suoke-dashboards', namespace: props.namespace, labels: { ...props.labels, grafana_dashboard: '1' } },
      data: Object.fromEntries(names.map((n) => [n, `${JSON.stringify(props.dashboards[n], null, 2)}\n`])),
    });
    this.datasources = new k8s.KubeConfigMap(this, 'Datasources', {
      metadata: { name: props.datasourcesName ?? 'suoke-datasources', namespace: props.namespace, labels: { ...props.labels, grafana_datasource: '1' } },
      data: { 'datasources.yaml': `${JSON.stringify(props.datasources, null, 2)}\n` },
    });
  }
}
