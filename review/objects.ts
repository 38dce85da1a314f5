/** A Kubernetes object as rendered to dist/: plain JSON, any kind. */
export type K8sObject = Record<string, any>;

/** `Kind namespace/name`, the identity of an object within one environment. */
export function objectKey(object: K8sObject): string {
  const { kind, metadata } = object;
  return `${kind} ${metadata?.namespace ? `${metadata.namespace}/` : ''}${metadata?.name}`;
}

/** The pod spec of a pod-bearing object, or undefined for other kinds. */
export function podSpecOf(object: K8sObject): K8sObject | undefined {
  switch (object.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return object.spec?.template?.spec;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template?.spec;
    case 'Pod':
      return object.spec;
    default:
      return undefined;
  }
}

/** Every container of a pod spec with its role: init containers count toward nothing but their own limits. */
export function containersOf(spec: K8sObject): { readonly container: K8sObject; readonly init: boolean }[] {
  return [
    ...(spec.initContainers ?? []).map((container: K8sObject) => ({ container, init: true })),
    ...(spec.containers ?? []).map((container: K8sObject) => ({ container, init: false })),
  ];
}

/** Objects sorted by key, so every report lists them in one stable order. */
export function sortByKey<T extends K8sObject>(objects: readonly T[]): T[] {
  return [...objects].sort((a, b) => compare(objectKey(a), objectKey(b)));
}

/** Plain code-unit ordering, independent of the locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
