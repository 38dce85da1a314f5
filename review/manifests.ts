import { execFileSync } from 'node:child_process';
import { loadAll } from 'js-yaml';
import type { K8sObject } from './objects';
import { tarFiles } from './tar-files';

/**
 * The objects of a multi-document YAML file; empty documents are skipped. Read with js-yaml, the
 * library that writes dist/ (synth/yaml-documents.ts), about five times faster than `yaml` on it.
 */
export function parseManifests(text: string, file = 'manifest'): K8sObject[] {
  let documents: unknown[];
  try {
    documents = loadAll(text);
  } catch (error) {
    throw new Error(`${file}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  return documents.filter((document): document is K8sObject => document !== null && typeof document === 'object');
}

/** Runs git with these arguments (and standard input) and returns its standard output; throws when git fails. */
export type GitRunner = (args: readonly string[], input?: string) => Buffer;

/** git in a working directory. */
export function gitIn(cwd: string): GitRunner {
  return (args, input) => execFileSync('git', args, { cwd, input, maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * The objects committed under `dist/<environment>/` at a git ref: the base of a review. Reading the
 * committed output (every commit's dist/ is fresh: `npm run check` makes sure of it) is exact and needs no
 * checkout or rebuild of old code. One git process whatever the number of files: `git archive`
 * streams the folder as a tar, read in memory.
 */
export function objectsAtRef(ref: string, environment: string, git: GitRunner = gitIn(process.cwd())): K8sObject[] {
  let tar: Buffer;
  try {
    tar = git(['archive', '--format=tar', `${ref}^{commit}`, '--', `dist/${environment}/`]);
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr);
    if (/not a valid object name/i.test(stderr)) throw new Error(`unknown git ref "${ref}"; pass --base <branch, tag or commit>`);
    if (/did not match any files/i.test(stderr)) return []; // no such environment at that ref
    throw error;
  }
  return [...tarFiles(tar)]
    .filter(([path]) => path.endsWith('.yaml'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([path, content]) => parseManifests(content.toString('utf8'), `${ref}:${path}`));
}
