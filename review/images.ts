import { compare, containersOf, objectKey, podSpecOf, type K8sObject } from './objects';

export interface ContainerImage {
  /** The workload's key, `Kind namespace/name`. */
  readonly workload: string;
  readonly container: string;
  readonly image: string;
}

/** The image of every container (init included) of every pod-bearing object, sorted. */
export function containerImages(objects: readonly K8sObject[]): ContainerImage[] {
  return objects
    .flatMap((o) => {
      const spec = podSpecOf(o);
      return spec ? containersOf(spec).map(({ container }) => ({ workload: objectKey(o), container: String(container.name), image: String(container.image) })) : [];
    })
    .sort((a, b) => compare(`${a.workload} ${a.container}`, `${b.workload} ${b.container}`));
}

/** `registry/repo:tag` → `{ repository, version }`, the version being the tag and/or digest. */
export function splitImage(image: string): { readonly repository: string; readonly version: string } {
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : '';
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  const repository = hasTag ? named.slice(0, colon) : named;
  const tag = hasTag ? named.slice(colon + 1) : '';
  return { repository, version: [tag, digest].filter(Boolean).join('@') || '(untagged)' };
}
