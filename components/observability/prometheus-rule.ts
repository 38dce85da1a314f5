import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { RuleGroup } from './alert-rules';

export interface PrometheusRuleProps {
  readonly name: string;
  readonly namespace: string;
  /** Must include the label the Prometheus `ruleSelector` matches (README "Telemetry"). */
  readonly labels: Record<string, string>;
  readonly groups: readonly RuleGroup[];
}

/**
 * A prometheus-operator `monitoring.coreos.com/v1` PrometheusRule.
 *
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule
 */
export class PrometheusRule extends Construct {
  public static readonly sourceFile = __filename;
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: PrometheusRuleProps) {
    super(scope, id);
    if (props.groups.length === 0) throw new Error(`prometheus rule ${props.name}: groups is empty; give at least one rule group`);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: { groups: props.groups.map((g) => ({ name: g.name, ...(g.interval ? { interval: g.interval } : {}), rules: g.rules.map((r) => ({ ...r })) })) },
    });
  }
}
