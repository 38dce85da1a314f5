import { compare } from '../review/objects';

/**
 * What differs between the files the code generates and the files on disk (both `path → content`,
 * paths relative to dist/), one line per file, sorted: `changed`, `missing` (generated but not on
 * disk) and `not generated` (on disk but no longer produced: a stale file).
 */
export function treeDifferences(generated: ReadonlyMap<string, string>, onDisk: ReadonlyMap<string, string>): string[] {
  const lines: [string, string][] = [];
  for (const [path, content] of generated) {
    if (!onDisk.has(path)) lines.push([path, `missing:       dist/${path}`]);
    else if (onDisk.get(path) !== content) lines.push([path, `changed:       dist/${path}`]);
  }
  for (const path of onDisk.keys()) if (!generated.has(path)) lines.push([path, `not generated: dist/${path}`]);
  return lines.sort(([a], [b]) => compare(a, b)).map(([, line]) => line);
}
