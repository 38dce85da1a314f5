/**
 * Kubernetes label selectors (`metav1.LabelSelector`): matchLabels AND every matchExpression; an empty
 * or absent selector selects everything.
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/apis/meta/v1/types.go (LabelSelector)
 */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

export function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((expression) => {
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        return has && values.includes(labels[expression.key]);
      case 'NotIn':
        // A missing key satisfies NotIn (apimachinery labels.Selector semantics).
        return !has || !values.includes(labels[expression.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        throw new Error(`label selector operator "${expression.operator}" is not supported; allowed: In, NotIn, Exists, DoesNotExist`);
    }
  });
}

/** Istio's `selector: { matchLabels }` (WorkloadSelector): absent or empty selects every workload in scope. */
export function selectsIstio(selector: { readonly matchLabels?: Readonly<Record<string, string>> } | undefined, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}
