/**
 * The recommended `app.kubernetes.io/*` labels, decided in one place for every object.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export interface LabelIdentity {
  /** `app.kubernetes.io/name`: the workload's name, e.g. `xiaoai-service`. */
  readonly name: string;
  /** `app.kubernetes.io/instance`: the platform instance, e.g. `suoke-life-prod`. */
  readonly instance: string;
  /** `app.kubernetes.io/component`: the layer or role, e.g. `agents`, `database`. */
  readonly component: string;
  /** `app.kubernetes.io/part-of`: the platform, e.g. `suoke-life`. */
  readonly partOf: string;
  /**
   * `app.kubernetes.io/version`: the image tag.
   * @default - no version label
   */
  readonly version?: string;
}

/** Who writes these objects; Pulumi applies them, but this program generates them. */
export const MANAGED_BY = 'suoke-platform';

/** Every standard label; for `metadata.labels` and pod templates. */
export function standardLabels(id: LabelIdentity): Record<string, string> {
  return {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': id.instance,
    ...(id.version ? { 'app.kubernetes.io/version': id.version } : {}),
    'app.kubernetes.io/component': id.component,
    'app.kubernetes.io/part-of': id.partOf,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** The label keys that never change for a running workload: the selector set plus the identity labels. */
export const STABLE_LABEL_KEYS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
] as const;

/**
 * The standard labels without the version: for fields Kubernetes never lets change, such as a
 * StatefulSet's `volumeClaimTemplates` (an image bump would otherwise be a forbidden update).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#volume-claim-templates
 */
export function stableLabels(id: LabelIdentity): Record<string, string> {
  return standardLabels({ ...id, version: undefined });
}

/**
 * The labels selectors use: only those that never change for a running workload (a version bump
 * must not orphan pods, and selectors are immutable on Deployments and StatefulSets).
 */
export function selectorLabels(id: Pick<LabelIdentity, 'name' | 'instance'>): Record<string, string> {
  return {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': id.instance,
  };
}

/**
 * The selector of everything that must cover every track of an app (its stable pods and a canary,
 * which is another `app.kubernetes.io/instance`): mesh and network policies, and the Service of a
 * service that runs a canary. Names are unique within a namespace, so the name alone is enough.
 */
export function appSelector(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name };
}

/** What a workload's objects carry: its identity, its labels, its pods' selector, and the metadata of its namespaced objects. */
export interface WorkloadMetadata {
  readonly identity: LabelIdentity;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
}

/**
 * The labels and metadata of a workload in `namespace`. `selector` defaults to the selector labels
 * of the identity; a component whose endpoint already names its selector passes that one.
 */
export function workloadMetadata(identity: LabelIdentity, namespace: string, selector: Record<string, string> = selectorLabels(identity)): WorkloadMetadata {
  const labels = standardLabels(identity);
  return { identity, labels, selector, metadata: { name: identity.name, namespace, labels } };
}
