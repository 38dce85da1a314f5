import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { CATALOG_FILE, type EnvironmentName } from '../../catalog';
import { parseManifests } from '../../review/manifests';
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

const committed = new Map<string, readonly { file: string; object: Record<string, any> }[]>();

/** Every object of the committed `dist/<env>/` folders (istioctl input included), read back from YAML, with its file; read once per environment. */
export function distObjects(environment: string): readonly { file: string; object: Record<string, any> }[] {
  const root = join('dist', environment);
  if (!committed.has(environment)) {
    const paths = readdirSync(root, { recursive: true }).map(String).filter((path) => path.endsWith('.yaml')).sort();
    committed.set(environment, paths.flatMap((path) => parseManifests(readFileSync(join(root, path), 'utf8'), path).map((object) => ({ file: path, object }))));
  }
  return committed.get(environment)!;
}

/**
 * The runs every test file of the stacks worker shares (one process, vitest.config.mts): on
 * globalThis, so a test that loads the modules afresh (withIngressGateway) does not start them again.
 */
const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for('suoke.test.stackRuns')] ??= new Map()) as Map<string, Promise<ProgramRun>>;

function once(key: string, run: () => Promise<ProgramRun>): Promise<ProgramRun> {
  if (!shared.has(key)) shared.set(key, run());
  return shared.get(key)!;
}

/**
 * What each environment's stack is configured with besides its secrets: dev as a developer renders
 * it against a local cluster (so one run covers the provider settings, adoption and render mode),
 * staging and prod as CI deploys them, with nothing else.
 */
export const ENVIRONMENT_SETTINGS: Record<EnvironmentName, Record<string, unknown>> = {
  dev: { context: 'kind-dev', kubeconfig: '/etc/kube/dev.yaml', renderYamlToDirectory: 'rendered/dev', adoptExistingObjects: true },
  staging: {},
  prod: {},
};

/** The run of an environment stack with every secret configured and its ENVIRONMENT_SETTINGS; once per test run and environment. */
export function environmentRun(environment: EnvironmentName): Promise<ProgramRun> {
  return once(environment, () => runProgram(environment, { secrets: secretConfigFor(environment), ...ENVIRONMENT_SETTINGS[environment] }));
}

/** The cluster stack's run for a mesh environment; once per test run. */
export function clusterRun(meshEnvironment: EnvironmentName): Promise<ProgramRun> {
  return once(`cluster:${meshEnvironment}`, () => runProgram('cluster', { meshEnvironment }));
}

/** The value rotated in {@link secretsChangedRun}. */
export const ROTATED = 'rotated';

/**
 * prod after a day-2 change to its secrets, run once: redis-auth of the data namespace and
 * llm-secret managed elsewhere (existingSecrets; llm-secret's value no longer configured), and
 * every value of jwt-secret rotated to {@link ROTATED}.
 */
export function secretsChangedRun(): Promise<ProgramRun> {
  return once('prod:secrets-changed', () => {
    const secrets = secretConfigFor('prod');
    delete secrets['llm-secret'];
    secrets['jwt-secret'] = Object.fromEntries(Object.keys(secrets['jwt-secret']).map((key) => [key, ROTATED]));
    return runProgram('prod', { secrets, existingSecrets: ['suoke-data-prod/redis-auth', 'suoke-life-prod/llm-secret'] });
  });
}

/** A copy of the real catalog with one edit, in the run's temporary folder. */
export function editedCatalog(edit: (text: string) => string): string {
  const text = readFileSync(CATALOG_FILE, 'utf8');
  const edited = edit(text);
  if (edited === text) throw new Error('the edit changed nothing: the catalog no longer has what the test edits');
  const file = join(mkdtempSync(join(inject('runFolder'), 'catalog-')), 'platform.yaml');
  writeFileSync(file, edited);
  return file;
}

/** The route edit the day-2 tests make: auth-service's upstream timeout, 60 s → 90 s. */
export const routeTimeoutChange = (text: string) => text.replace(/(path: \/api\/v1\/auth\n(?:.*\n)*?\s+timeout: )60s/, '$190s');
