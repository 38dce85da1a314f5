import type { Construct } from 'constructs';
import { CustomResource } from '../common/custom-resource';
import type { NamespacedObjectProps } from '../common/namespaced-object';

/** `rules[].to[].operation` of an Istio AuthorizationPolicy (positive matching only). */
export interface Operation {
  readonly methods?: readonly string[];
  readonly paths?: readonly string[];
  readonly ports?: readonly string[];
}

/**
 * One ALLOW rule: callers by mesh identity (`cluster.local/ns/<ns>/sa/<sa>`) and what they may do.
 * Callers are matched with `principals`, never `serviceAccounts` (SECURITY.md M8).
 */
export interface AuthorizationRule {
  /**
   * The callers' principals.
   * @default - any caller; only for an entry point the catalog declares public (SECURITY.md M4)
   */
  readonly principals?: readonly string[];
  /**
   * What the callers may do.
   * @default - anything on the selected workload
   */
  readonly to?: readonly Operation[];
}

export interface AuthorizationPolicyProps extends NamespacedObjectProps {
  /**
   * The pods the policy applies to.
   * @default - every pod in the namespace
   */
  readonly selector?: Record<string, string>;
  /**
   * The ALLOW rules. An empty list with no selector is Istio's "allow-nothing" policy: nothing
   * matches, so every request to the namespace is denied unless another policy allows it.
   * @default []
   */
  readonly rules?: readonly AuthorizationRule[];
}

/**
 * An Istio `security.istio.io/v1` AuthorizationPolicy with action ALLOW.
 *
 * @see https://istio.io/latest/docs/reference/config/security/authorization-policy/
 */
export class AuthorizationPolicy extends CustomResource {
  public static readonly sourceFile = __filename;
  public readonly rules: readonly AuthorizationRule[];

  constructor(scope: Construct, id: string, props: AuthorizationPolicyProps) {
    const rules = props.rules ?? [];
    for (const rule of rules) {
      if (rule.principals?.length === 0) throw new Error(`authorization policy ${props.name}: a rule lists no principals; omit principals only for a declared public entry point`);
      if (rule.principals?.includes('*')) throw new Error(`authorization policy ${props.name}: "*" is not a principal; name the callers`);
    }
    const spec =
      rules.length === 0 && !props.selector
        ? {}
        : {
            ...(props.selector ? { selector: { matchLabels: props.selector } } : {}),
            action: 'ALLOW',
            rules: rules.map((rule) => ({
              ...(rule.principals ? { from: [{ source: { principals: [...rule.principals] } }] } : {}),
              ...(rule.to ? { to: rule.to.map((operation) => ({ operation: copyOperation(operation) })) } : {}),
            })),
          };
    super(scope, id, { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' }, props, spec);
    this.rules = rules;
  }
}

function copyOperation(operation: Operation) {
  return {
    ...(operation.methods ? { methods: [...operation.methods] } : {}),
    ...(operation.paths ? { paths: [...operation.paths] } : {}),
    ...(operation.ports ? { ports: [...operation.ports] } : {}),
  };
}
