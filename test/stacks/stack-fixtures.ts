import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll } from 'vitest';
import { CATALOG_FILE, type EnvironmentName } from '../../catalog';
import { runSynth } from '../../synth/synth-command';
import { runProgram, secretConfigFor, type ProgramRun, type Registered } from './run-program';

/** `apiVersion kind namespace/name` of an object. */
export const identity = (o: Record<string, any>) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

export const HELM_RELEASE = 'kubernetes:helm.sh/v3:Release';

/** Kubernetes objects a stack owns: not the provider, not a lookup, not a Helm release. */
export function ownedObjects(registered: readonly Registered[]): Registered[] {
  return registered.filter((r) => r.custom && !r.readId && r.type.startsWith('kubernetes:') && r.type !== HELM_RELEASE);
}

/** The lookups (`Resource.get`) a run made, by id. */
export function lookups(registered: readonly Registered[]): string[] {
  return registered.filter((r) => r.readId).map((r) => r.readId!);
}

/** Every object of the committed `dist/<env>/` folders (istioctl input included), read back from YAML, with its file. */
export function distObjects(environment: string): { file: string; object: Record<string, any> }[] {
  const root = join('dist', environment);
  return readdirSync(root, { recursive: true })
    .map(String)
    .filter((path) => path.endsWith('.yaml'))
    .sort()
    .flatMap((path) => parseAllDocuments(readFileSync(join(root, path), 'utf8')).map((doc) => ({ file: path, object: doc.toJS() })));
}

/** Temporary folders of this test file, removed after its tests. */
const temporary: string[] = [];
afterAll(() => temporary.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(folder);
  return folder;
}

const defaults = new Map<string, Promise<ProgramRun>>();

/** The run of an environment stack with every secret configured and nothing else; run once per file and environment. */
export function defaultRun(environment: EnvironmentName): Promise<ProgramRun> {
  if (!defaults.has(environment)) defaults.set(environment, runProgram(environment, { secrets: secretConfigFor(environment) }));
  return defaults.get(environment)!;
}

/** The cluster stack's run for a mesh environment; run once per file. */
export function clusterRun(meshEnvironment: EnvironmentName): Promise<ProgramRun> {
  const key = `cluster:${meshEnvironment}`;
  if (!defaults.has(key)) defaults.set(key, runProgram('cluster', { meshEnvironment }));
  return defaults.get(key)!;
}

/** A copy of the real catalog with one edit, in a temporary folder. */
export function editedCatalog(edit: (text: string) => string): string {
  const text = readFileSync(CATALOG_FILE, 'utf8');
  const edited = edit(text);
  if (edited === text) throw new Error('the edit changed nothing: the catalog no longer has what the test edits');
  const file = join(temporaryFolder('suoke-stack-'), 'platform.yaml');
  writeFileSync(file, edited);
  return file;
}

/** Synthesizes a catalog into a temporary dist folder, as `npm run synth -- --catalog <file> --out <dir>`. */
export async function synthesized(catalog: string): Promise<string> {
  const out = join(temporaryFolder('suoke-dist-'), 'dist');
  const lines: string[] = [];
  const status = await runSynth({ catalog, out, parallel: false }, { log: () => undefined, error: (l) => lines.push(l) });
  if (status !== 0) throw new Error(lines.join('\n'));
  return out;
}

/** The route edit the day-2 tests make: auth-service's upstream timeout, 60 s → 90 s. */
export const routeTimeoutChange = (text: string) => text.replace(/(path: \/api\/v1\/auth\n(?:.*\n)*?\s+timeout: )60s/, '$190s');
