import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import type { RenderedFile } from '../synth/render';

/**
 * The files where the objects built differ from the reviewed output in `dist`: changed, missing
 * from `dist`, or in `dist` but no longer built. Paths as `dist/<env>/...`, sorted.
 */
export function unreviewedFiles(files: readonly RenderedFile[], dist: string, environment: string): string[] {
  const built = new Map(files.map((f) => [f.path, f.content]));
  const root = join(dist, environment);
  const committed = existsSync(root)
    ? readdirSync(root, { recursive: true })
        .map(String)
        .filter((path) => path.endsWith('.yaml'))
        .map((path) => `${environment}/${path}`)
    : [];
  const differences = [
    ...[...built].flatMap(([path, content]) => {
      const file = join(dist, path);
      if (!existsSync(file)) return [`${join(dist, path)} (not in the reviewed output)`];
      return readFileSync(file, 'utf8') === content ? [] : [`${join(dist, path)} (changed)`];
    }),
    ...committed.filter((path) => !built.has(path)).map((path) => `${join(dist, path)} (no longer built)`),
  ];
  return differences.sort();
}

/**
 * Deploy what was reviewed: before anything is registered, the objects built from the working
 * tree must equal the committed `dist/<env>/`, file for file, or the run stops naming the files.
 * `allowUnreviewed` turns the refusal into a warning.
 */
export function assertReviewed(files: readonly RenderedFile[], dist: string, environment: string, allowUnreviewed: boolean): void {
  const differences = unreviewedFiles(files, dist, environment);
  if (differences.length === 0) return;
  const list = differences.map((d) => `  ${d}`).join('\n');
  if (allowUnreviewed) {
    pulumi.log.warn(`deploying objects that differ from the reviewed ${join(dist, environment)} (allowUnreviewed is set):\n${list}`);
    return;
  }
  throw new pulumi.RunError(
    `the objects built differ from the reviewed ${join(dist, environment)}:\n${list}\n` +
      'run `npm run synth`, review and commit dist/, then deploy; or deploy anyway: pulumi config set allowUnreviewed true',
  );
}
