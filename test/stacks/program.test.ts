import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, loadCatalog, resolve } from '../../catalog';
import { runProgram, secretConfigFor, type Registered } from './run-program';
import { distObjects, environmentRun, identity, ownedObjects, secretsChangedRun } from './stack-fixtures';

describe.each(ENVIRONMENTS)('pulumi up for stack %s', (environment) => {
  it('registers exactly the objects of dist/ meant to be applied, but the mesh-wide ones, each with the YAML as its inputs', async () => {
    const { registered } = await environmentRun(environment);
    const root = resolve(loadCatalog(), environment).istio.rootNamespace;
    // the istio folder is istioctl input; the root namespace's objects belong to the cluster stack.
    const expected = distObjects(environment)
      .filter(({ file, object }) => !file.startsWith('istio/') && object.metadata.namespace !== root)
      .map(({ object }) => object);
    const actual = ownedObjects(registered)
      .filter((r) => r.inputs.kind !== 'Secret')
      .map((r) => r.inputs);
    expect(expected.length).toBeGreaterThan(0);
    expect(actual.map(identity).sort()).toEqual(expected.map(identity).sort());
    const byIdentity = new Map(actual.map((o) => [identity(o), o]));
    for (const object of expected) expect(byIdentity.get(identity(object)), identity(object)).toEqual(object);
  });
});

/** Every string in a registered input outside a secret wrapper: what would be stored in plain text. */
function plainStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(plainStrings);
  if (value && typeof value === 'object') {
    // @pulumi/pulumi marks secrets with this signature key and value (runtime/rpc.ts specialSecretSig).
    if ((value as Record<string, unknown>)['4dabf18193072939515e22adb298388d'] === '1b47061264138c4ac30d75fd1eb44270') return [];
    return Object.values(value).flatMap(plainStrings);
  }
  return [];
}

const createdSecrets = (registered: readonly Registered[]) => registered.filter((r) => r.inputs.kind === 'Secret' && !r.readId).map((r) => r.name);

describe('secrets', () => {
  it('creates every referenced Secret from config secrets, and no value is ever in plain text', async () => {
    const secrets = secretConfigFor('prod');
    const { registered, outputs } = await environmentRun('prod');
    expect(createdSecrets(registered)).toEqual(expect.arrayContaining(['Secret/suoke-data-prod/redis-auth', 'Secret/suoke-life-prod/redis-auth', 'Secret/suoke-life-prod/database-secret', 'Secret/suoke-data-prod/consul-agent-token', 'Secret/suoke-life-prod/consul-client-token-xiaoai-service', 'Secret/suoke-data-prod/consul-client-token-xiaoai-service']));
    // a Secret read in two namespaces gets the same configured value in both.
    const redisAuth = registered.filter((r) => r.inputs.kind === 'Secret' && r.inputs.metadata.name === 'redis-auth').map((r) => r.inputs.stringData.value);
    expect(redisAuth).toEqual([secrets['redis-auth'], secrets['redis-auth']]);
    const database = registered.find((r) => r.name === 'Secret/suoke-life-prod/database-secret')!;
    expect(database.inputs.stringData.value).toEqual(secrets['database-secret']);
    const values = Object.values(secrets).flatMap((keys) => Object.values(keys));
    const leaked = registered.flatMap((r) => plainStrings(r.inputs)).filter((s) => values.some((v) => s.includes(v)));
    expect(leaked).toEqual([]);
    expect(JSON.stringify(outputs)).not.toContain('s3cr3t');
  });

  it('fails the preview naming the command for every missing value', async () => {
    const secrets = secretConfigFor('prod');
    delete secrets['llm-secret'];
    delete secrets['database-secret']['auth-db-url'];
    await expect(runProgram('prod', { secrets })).rejects.toThrow(
      [
        'missing secret values (suoke-life-prod/database-secret.auth-db-url, suoke-life-prod/llm-secret.api-key); set them with:',
        "  pulumi config set --secret --path 'secrets.database-secret.auth-db-url' '<value>'",
        "  pulumi config set --secret --path 'secrets.llm-secret.api-key' '<value>'",
      ].join('\n'),
    );
  });
});

describe('existingSecrets, per namespace', () => {
  it('references <namespace>/<name> instead of creating it, and still creates its namesake in another namespace', async () => {
    const { registered } = await secretsChangedRun();
    expect(createdSecrets(registered)).not.toContain('Secret/suoke-data-prod/redis-auth');
    expect(createdSecrets(registered)).toContain('Secret/suoke-life-prod/redis-auth');
  });

  it('needs no value for a Secret managed elsewhere', async () => {
    const { registered } = await secretsChangedRun();
    expect(createdSecrets(registered)).not.toContain('Secret/suoke-life-prod/llm-secret');
    expect(createdSecrets(registered)).toContain('Secret/suoke-life-prod/jwt-secret');
  });
});

describe('the stack', () => {
  it('refuses a stack that is neither an environment of the catalog nor a cluster stack', async () => {
    await expect(runProgram('production', {})).rejects.toThrow(
      'stack "production" is not an environment of the catalog; use one of dev, staging, prod (pulumi stack select prod), or cluster for what each cluster holds once',
    );
  });

  it('exports the public host, namespaces and object counts per chart', async () => {
    const { outputs, registered } = await environmentRun('prod');
    expect(outputs.environment).toBe('prod');
    expect(outputs.apiHost).toBe('api.suoke.life');
    expect(outputs.namespaces.apps).toBe('suoke-life-prod');
    const objects = ownedObjects(registered).filter((r) => r.inputs.kind !== 'Secret');
    expect(Object.values<number>(outputs.objectCounts).reduce((a, b) => a + b, 0)).toBe(objects.length);
    expect(outputs.secretsCreated).toBe(createdSecrets(registered).length);
  });

  it('names every object after its kind, namespace and name, set explicitly: no auto-naming, a rename is a visible diff', async () => {
    const { registered } = await environmentRun('prod');
    for (const r of ownedObjects(registered)) {
      const { kind, metadata } = r.inputs;
      expect(r.name).toBe(metadata.namespace ? `${kind}/${metadata.namespace}/${metadata.name}` : `${kind}/${metadata.name}`);
    }
    const names = registered.map((r) => r.urn);
    expect(new Set(names).size).toBe(names.length);
    // what is not an object of dist/ (provider, components, lookups) does not grow with the catalog.
    const structure = registered.filter((r) => !ownedObjects([r]).length).map((r) => `${r.type} ${r.name}`);
    expect(structure.sort()).toMatchSnapshot();
  });
});
