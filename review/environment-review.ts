import type { PlatformModel } from '../catalog';
import { outsideWorkloads, requiredConnections } from './connectivity/required-connections';
import { connectivityChanges } from './connectivity-diff';
import { meshSettings } from './connectivity/platform';
import type { K8sObject } from './objects';
import type { EnvironmentReview } from './report';
import { assessChange } from './risk';
import { diffObjects } from './semantic-diff';

/**
 * The review of one environment's change from `base` to `head` (both plain objects, as in
 * `dist/<env>/`): the object diff, its findings, and the connections it opens or closes through
 * every layer, which need the environment's model.
 */
export function reviewEnvironment(model: PlatformModel, base: readonly K8sObject[], head: readonly K8sObject[]): EnvironmentReview {
  const diff = diffObjects(base, head);
  const connections = connectivityChanges(base, head, { outside: outsideWorkloads(model), required: requiredConnections(model), mesh: meshSettings(model) });
  const assessed = assessChange(base, head, diff);
  // connections opened or closed through every layer are risks: who reaches whom changed.
  return { environment: model.environment, diff, ...assessed, risks: [...assessed.risks, ...connections] };
}
