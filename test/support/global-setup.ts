import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadCatalog } from '../../catalog';
import { synthesize } from '../../synth/synth';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A temporary folder for the whole run, removed after it; holds PLATFORM_FILE. */
    runFolder: string;
  }
}

/** Every environment of the real catalog as JSON, in the run folder (test/support/platform.ts reads it). */
export const PLATFORM_FILE = 'platform.json';

/**
 * Vitest's global set-up: synthesizes every environment of the real catalog once per run, in the
 * main process, and hands the result to the test workers as a file, so no test file synthesizes
 * the real catalog again.
 */
export default function setup(project: TestProject): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'suoke-test-run-'));
  writeFileSync(join(folder, PLATFORM_FILE), JSON.stringify(synthesize(loadCatalog())));
  project.provide('runFolder', folder);
  return () => rmSync(folder, { recursive: true, force: true });
}
