import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** Every file under a folder, path → content, to compare a folder before and after. */
export function snapshot(root: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(root, { recursive: true, encoding: 'utf8', withFileTypes: false })
      .map(String)
      .sort()
      .flatMap((path) => {
        try {
          return [[path, readFileSync(join(root, path), 'utf8')] as const];
        } catch {
          return []; // a folder
        }
      }),
  );
}

/** A maker of temporary folders named `<prefix>…`, each removed after the test that made it. */
export function temporaryFolders(prefix: string): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/**
 * An output folder `<root>/dist` holding a copy of the committed `dist/` (or of one environment's
 * part of it), and its snapshot, to show a failed synth leaves it as it was.
 */
export function existingOutput(root: string, environment?: string): { out: string; before: Record<string, string> } {
  const out = join(root, 'dist');
  cpSync(environment ? join('dist', environment) : 'dist', environment ? join(out, environment) : out, { recursive: true });
  return { out, before: snapshot(out) };
}
