import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compare } from '../review/objects';

/** Every file under a folder, path (relative to it) → content; empty when the folder does not exist. */
export function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path, 'utf8'));
  }
  return files;
}

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
