import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `outDir` with what `fill` writes into an empty folder, atomically as far as the file
 * system allows: `fill` writes to a sibling temporary folder, which is swapped in only when it
 * succeeded, so a failure leaves the previous output untouched, and a removed service leaves no
 * stale file behind.
 */
export async function replaceFolder(outDir: string, fill: (staging: string) => Promise<void> | void): Promise<void> {
  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(outDir)}-new-`));
  try {
    await fill(staging);
    const previous = `${staging}-old`;
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(staging, outDir);
    rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Writes `files` (path relative to `root` → content) under `root`, creating folders as needed. */
export function writeFiles(root: string, files: Iterable<readonly [string, string]>): void {
  const folders = new Set<string>();
  for (const [path, content] of files) {
    const target = join(root, path);
    const folder = dirname(target);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    writeFileSync(target, content);
  }
}
