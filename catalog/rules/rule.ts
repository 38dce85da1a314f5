import type { CatalogDocument } from '../schema';
import type { DocPath } from '../source';

/** A violation found by a rule: where, and what is wrong and how to fix it. */
export interface Finding {
  readonly path: DocPath;
  readonly message: string;
}

/** A cross-reference rule over a structurally valid catalog. Rules are data: add one to the list. */
export interface Rule {
  readonly id: string;
  readonly check: (doc: CatalogDocument) => Finding[];
}

/** One finding for every repeat of a key, at the repeat (the first occurrence is the one kept). */
export function duplicates(entries: readonly (readonly [string, DocPath])[], message: (key: string) => string): Finding[] {
  const seen = new Set<string>();
  return entries.flatMap(([key, path]) => {
    if (!seen.has(key)) {
      seen.add(key);
      return [];
    }
    return [{ path, message: message(key) }];
  });
}
