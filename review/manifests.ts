import { execFileSync } from 'node:child_process';
import { loadAll } from 'js-yaml';
import type { K8sObject } from './objects';

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
 * checkout or rebuild of old code. Two git processes whatever the number of files: `ls-tree` lists
 * the files, one `cat-file --batch` reads them all.
 */
export function objectsAtRef(ref: string, environment: string, git: GitRunner = gitIn(process.cwd())): K8sObject[] {
  let listing: string;
  try {
    listing = git(['ls-tree', '-r', '-z', `${ref}^{commit}`, '--', `dist/${environment}/`]).toString('utf8');
  } catch (error) {
    if (/not a valid object name/i.test(String((error as { stderr?: unknown }).stderr))) throw new Error(`unknown git ref "${ref}"; pass --base <branch, tag or commit>`);
    throw error;
  }
  // `<mode> blob <object>\t<path>` per file, NUL-terminated
  const blobs = listing
    .split('\0')
    .filter((entry) => entry.endsWith('.yaml'))
    .map((entry) => ({ object: entry.split('\t')[0].split(' ')[2], path: entry.slice(entry.indexOf('\t') + 1) }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  if (blobs.length === 0) return [];
  // `<object> blob <size in bytes>\n<content>\n` per object, in the order asked
  const batch = git(['cat-file', '--batch'], `${blobs.map((b) => b.object).join('\n')}\n`);
  let offset = 0;
  return blobs.flatMap(({ path }) => {
    const headerEnd = batch.indexOf(0x0a, offset);
    const size = Number(batch.toString('latin1', offset, headerEnd).split(' ')[2]);
    const text = batch.toString('utf8', headerEnd + 1, headerEnd + 1 + size);
    offset = headerEnd + 1 + size + 1;
    return parseManifests(text, `${ref}:${path}`);
  });
}
