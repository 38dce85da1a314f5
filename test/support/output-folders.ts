import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { filesUnder } from '../../synth/tree-compare';

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
export function existingOutput(root: string, environment?: string): { out: string; before: Map<string, string> } {
  const out = join(root, 'dist');
  cpSync(environment ? join('dist', environment) : 'dist', environment ? join(out, environment) : out, { recursive: true });
  return { out, before: filesUnder(out) };
}
