import { join, relative, sep } from 'node:path';

/** Source paths are relative to the repository root, so dist/ is the same on every machine. */
const REPOSITORY_ROOT = join(__dirname, '..', '..');

/**
 * The repository path (`components/data/redis-cluster.ts`) of the module that defines a construct
 * class, which the class names with one line in its body:
 * `public static readonly sourceFile = __filename;`. Undefined when the class does not name it
 * itself: a subclass never inherits its parent's file. Every object in dist/ is preceded by a
 * comment naming the class that built it and this path (synth/provenance.ts).
 */
export function constructSource(constructClass: Function): string | undefined {
  if (!Object.hasOwn(constructClass, 'sourceFile')) return undefined;
  return relative(REPOSITORY_ROOT, (constructClass as unknown as { sourceFile: string }).sourceFile).split(sep).join('/');
}
