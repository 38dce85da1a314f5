import type { SynthesizedObject } from '../support/platform';
import { podSpecOf, type K8sObject } from '../../review/objects';

export { podSpecOf, type K8sObject };

/** Pod template labels of a pod-bearing object. */
export function podLabelsOf(object: K8sObject): Record<string, string> | undefined {
  if (object.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template?.metadata?.labels;
  if (object.kind === 'Pod') return object.metadata?.labels;
  return podSpecOf(object) ? object.spec?.template?.metadata?.labels : undefined;
}

/** Every container of a pod spec: init, regular and ephemeral. */
export function containersOf(spec: K8sObject): K8sObject[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

/** True when every label of `selector` is on `labels` (an empty selector matches nothing here). */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || !labels || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** A workload's application: its pods' `app.kubernetes.io/name`, or the workload's own name. */
export function applicationOf(workload: K8sObject): string {
  return podLabelsOf(workload)?.['app.kubernetes.io/name'] ?? workload.metadata?.name;
}

/** Kinds that live outside namespaces. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
]);

/** All objects of one environment, with look-ups the cross-object rules need. */
export class ObjectIndex {
  constructor(readonly objects: readonly SynthesizedObject[]) {}

  find(kind: string, namespace: string | undefined, name: string): K8sObject | undefined {
    return this.objects.find((o) => o.object.kind === kind && o.object.metadata?.namespace === namespace && o.object.metadata?.name === name)?.object;
  }

  ofKind(kind: string, namespace?: string): K8sObject[] {
    return this.objects.map((o) => o.object).filter((o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace));
  }

  /** Pod-bearing objects in `namespace` whose pod template labels `selector` matches. */
  workloadsSelectedBy(namespace: string, selector: Record<string, string> | undefined): K8sObject[] {
    return this.objects
      .map((o) => o.object)
      .filter((o) => o.metadata?.namespace === namespace && selects(selector, podLabelsOf(o)));
  }

  /**
   * The applications (`app.kubernetes.io/name` of the pods) whose workloads `selector` matches: a
   * canary is another Deployment of the same application, so a selector covering both tracks
   * still selects one application.
   */
  applicationsSelectedBy(namespace: string, selector: Record<string, string> | undefined): string[] {
    return [...new Set(this.workloadsSelectedBy(namespace, selector).map((w) => applicationOf(w)))];
  }

  /** HorizontalPodAutoscalers targeting `workload`. */
  autoscalersOf(workload: K8sObject): K8sObject[] {
    return this.ofKind('HorizontalPodAutoscaler', workload.metadata.namespace).filter(
      (h) => h.spec.scaleTargetRef.kind === workload.kind && h.spec.scaleTargetRef.name === workload.metadata.name,
    );
  }
}
