import type { KubernetesObject } from './kubernetes-resource';

/** A Secret some object reads, with the keys it reads (empty when a whole Secret is mounted). */
export interface SecretReference {
  readonly namespace: string;
  readonly name: string;
  readonly keys: readonly string[];
}

/**
 * Every Secret the synthesized objects reference (env `secretKeyRef`, `envFrom.secretRef`, secret
 * and projected volumes), found in the objects themselves, so a component cannot add a Secret the
 * stack forgets to create. Secrets a cert-manager Certificate among the objects writes are left out:
 * cert-manager creates them. Sorted by namespace and name.
 */
export function referencedSecrets(objects: readonly KubernetesObject[]): SecretReference[] {
  const found = new Map<string, { namespace: string; name: string; keys: Set<string> }>();
  const add = (namespace: string, name: string, key?: string) => {
    const id = `${namespace}/${name}`;
    const entry = found.get(id) ?? { namespace, name, keys: new Set<string>() };
    if (key) entry.keys.add(key);
    found.set(id, entry);
  };
  for (const object of objects) {
    const namespace = object.metadata.namespace;
    if (!namespace) continue;
    visit(object, (node) => {
      if (node.secretKeyRef?.name) add(namespace, node.secretKeyRef.name, node.secretKeyRef.key);
      if (node.secretRef?.name) add(namespace, node.secretRef.name);
      const secretVolume = node.secret?.secretName ? node.secret : undefined;
      if (secretVolume) {
        if (secretVolume.items?.length) for (const item of secretVolume.items) add(namespace, secretVolume.secretName, item.key);
        else add(namespace, secretVolume.secretName);
      }
      if (node.secret?.name && !node.secret.secretName) {
        // a projected volume source: { secret: { name, items } }
        if (node.secret.items?.length) for (const item of node.secret.items) add(namespace, node.secret.name, item.key);
        else add(namespace, node.secret.name);
      }
    });
  }
  // a cert-manager Certificate's Secret is written by cert-manager, never by the stack.
  const issued = new Set(objects.filter((o) => o.kind === 'Certificate' && String(o.apiVersion).startsWith('cert-manager.io/')).map((o) => `${o.metadata.namespace}/${o.spec?.secretName}`));
  return [...found.values()]
    .filter((s) => !issued.has(`${s.namespace}/${s.name}`))
    .map((s) => ({ namespace: s.namespace, name: s.name, keys: [...s.keys].sort() }))
    .sort((a, b) => (a.namespace === b.namespace ? a.name.localeCompare(b.name) : a.namespace.localeCompare(b.namespace)));
}

function visit(node: unknown, callback: (node: Record<string, any>) => void): void {
  if (Array.isArray(node)) {
    node.forEach((child) => visit(child, callback));
  } else if (node && typeof node === 'object') {
    callback(node as Record<string, any>);
    Object.values(node).forEach((child) => visit(child, callback));
  }
}
