import type * as pulumi from '@pulumi/pulumi';
import type { KubernetesObject } from './kubernetes-resource';

/**
 * Whether deleting the object loses data: a Namespace takes every PersistentVolumeClaim in it
 * along, and a StatefulSet with volume claim templates holds its members' volumes (their claims
 * survive it only through `persistentVolumeClaimRetentionPolicy: Retain`). `pulumi destroy`, or a
 * rename in the catalog, only forgets these (retainOnDelete); README "Deploy with Pulumi" says how
 * to really remove them.
 */
export function holdsData(object: KubernetesObject): boolean {
  return object.kind === 'Namespace' || (object.kind === 'StatefulSet' && (object.spec?.volumeClaimTemplates?.length ?? 0) > 0);
}

/**
 * How much longer Pulumi waits than an object's own deadline, so the object's failure (a Job's
 * `DeadlineExceeded`, a Deployment's `ProgressDeadlineExceeded`) is what `pulumi up` reports,
 * rather than a timeout of its own.
 */
export const AWAIT_GRACE_SECONDS = 60;

/**
 * The deadline an object sets for itself, in seconds: a Job's `activeDeadlineSeconds`, a
 * Deployment's `progressDeadlineSeconds`; undefined when it sets none (the provider's own await
 * timeout then applies).
 */
export function ownDeadlineSeconds(object: KubernetesObject): number | undefined {
  const spec = object.spec ?? {};
  if (object.kind === 'Job') return spec.activeDeadlineSeconds;
  if (object.kind === 'Deployment') return spec.progressDeadlineSeconds;
  return undefined;
}

/** The resource options an object is registered with, decided from the object alone. */
export function resourceOptionsFor(object: KubernetesObject): pulumi.CustomResourceOptions {
  const deadline = ownDeadlineSeconds(object);
  const wait = deadline === undefined ? undefined : `${deadline + AWAIT_GRACE_SECONDS}s`;
  return {
    ...(holdsData(object) ? { retainOnDelete: true } : {}),
    ...(wait ? { customTimeouts: { create: wait, update: wait } } : {}),
  };
}
