import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './objects';

/** The objects of a multi-document YAML file; empty documents are skipped. */
export function parseManifests(text: string, file = 'manifest'): K8sObject[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: invalid YAML: ${document.errors[0].message}`);
    const value = document.toJS();
    return value && typeof value === 'object' ? [value as K8sObject] : [];
  });
}

/**
 * The objects committed under `dist/<environment>/` at a git ref: the base of a review. Reading the
 * committed output (every commit's dist/ is fresh, the tests make sure of it) is exact and needs no
 * checkout or rebuild of old code.
 */
export function objectsAtRef(ref: string, environment: string, cwd = process.cwd()): K8sObject[] {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    throw new Error(`unknown git ref "${ref}"; pass --base <branch, tag or commit>`);
  }
  const paths = git('ls-tree', '-r', '--name-only', ref, '--', `dist/${environment}/`)
    .split('\n')
    .filter((p) => p.endsWith('.yaml'))
    .sort();
  return paths.flatMap((path) => parseManifests(git('show', `${ref}:${path}`), `${ref}:${path}`));
}
