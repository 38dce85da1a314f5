import { describe, expect, it } from 'vitest';
import { STABLE_LABEL_KEYS } from '../../../components/common/labels';
import { allObjects, describe as name } from '../../support/platform';

/**
 * A StatefulSet's `volumeClaimTemplates` can never change (the API server forbids updates to any
 * field but replicas, template, updateStrategy, ordinals, minReadySeconds and the retention
 * policy), so a claim label that follows the image tag turns every image bump into a rejected
 * update. "Stable" = the selector labels plus name/instance/component/part-of/managed-by.
 */
describe('volumeClaimTemplates', () => {
  const statefulSets = allObjects().filter((o) => o.object.kind === 'StatefulSet');

  it('carry only stable labels, in every StatefulSet of every environment', () => {
    const claims = statefulSets.flatMap((o) => (o.object.spec.volumeClaimTemplates ?? []).map((t: { metadata: { name: string; labels?: Record<string, string> } }) => ({ owner: name(o), claim: t.metadata.name, labels: t.metadata.labels ?? {} })));
    expect(claims.length).toBeGreaterThan(0);
    const stable = new Set<string>(STABLE_LABEL_KEYS);
    const mutable = claims.flatMap((c) => Object.keys(c.labels).filter((k) => !stable.has(k)).map((k) => `${c.owner} claim ${c.claim}: ${k}=${c.labels[k]}`));
    expect(mutable).toEqual([]);
  });

  it('still select their own pods: every claim label with a selector key has the selector value', () => {
    for (const o of statefulSets) {
      const selector: Record<string, string> = o.object.spec.selector.matchLabels;
      for (const t of o.object.spec.volumeClaimTemplates ?? []) {
        for (const [k, v] of Object.entries(selector)) expect(t.metadata.labels?.[k], `${name(o)} claim ${t.metadata.name} ${k}`).toBe(v);
      }
    }
  });
});
