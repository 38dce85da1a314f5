import type { ObjectDiff } from './semantic-diff';
import { valueText } from './units';

/** Kinds whose `spec.selector` the API server refuses to change. */
const IMMUTABLE_SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * `! selector changed` lines: a workload whose `spec.selector` differs from the base. The API server
 * rejects the update (`field is immutable`), so the change needs a delete and re-create, which a
 * canary or a label rework must never cause by accident.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#label-selector-updates
 */
export function selectorChanges(diff: ObjectDiff): string[] {
  return diff.changed
    .filter((c) => IMMUTABLE_SELECTOR_KINDS.has(c.after.kind))
    .flatMap((c) => {
      const before = valueText(c.before.spec?.selector);
      const after = valueText(c.after.spec?.selector);
      return before === after ? [] : [`! selector changed (immutable: the update is rejected, the workload must be re-created): ${c.key} ${before} → ${after}`];
    });
}
