import { compare, containersOf, objectKey, podSpecOf, type K8sObject } from './objects';

/**
 * Which Secret each workload reads, and from where: env `secretKeyRef`, `envFrom.secretRef`,
 * `secret` and `projected` volumes. Keyed by `workload container/volume field`.
 */
export function secretReferences(objects: readonly K8sObject[]): Map<string, string> {
  const refs = new Map<string, string>();
  for (const o of objects) {
    const spec = podSpecOf(o);
    if (!spec) continue;
    const workload = objectKey(o);
    for (const { container } of containersOf(spec)) {
      for (const env of container.env ?? []) {
        const ref = env.valueFrom?.secretKeyRef;
        if (ref) refs.set(`${workload} container ${container.name} env ${env.name}`, `${ref.name}/${ref.key}`);
      }
      for (const from of container.envFrom ?? []) {
        if (from.secretRef) refs.set(`${workload} container ${container.name} envFrom ${from.prefix ?? ''}${from.secretRef.name}`, from.secretRef.name);
      }
    }
    for (const volume of spec.volumes ?? []) {
      if (volume.secret) refs.set(`${workload} volume ${volume.name}`, volume.secret.secretName);
      for (const source of volume.projected?.sources ?? []) {
        if (source.secret) refs.set(`${workload} volume ${volume.name} projected ${source.secret.name}`, source.secret.name);
      }
    }
  }
  return refs;
}

/**
 * Secret references changed, added or removed in workloads that exist before and after (a new
 * workload's references arrive with it and show in the object diff).
 */
export function secretReferenceLines(base: readonly K8sObject[], head: readonly K8sObject[]): string[] {
  const before = secretReferences(base);
  const after = secretReferences(head);
  const workloads = (objects: readonly K8sObject[]) => new Set(objects.filter(podSpecOf).map(objectKey));
  const both = new Set([...workloads(base)].filter((w) => workloads(head).has(w)));
  const inBoth = (key: string) => [...both].some((w) => key.startsWith(`${w} `));
  const keys = [...new Set([...before.keys(), ...after.keys()])].filter(inBoth).sort(compare);
  return keys.flatMap((key) => {
    const [a, b] = [before.get(key), after.get(key)];
    if (a === b) return [];
    return [`! secret reference ${key}: ${a ?? '(none)'} → ${b ?? '(none)'}`];
  });
}
