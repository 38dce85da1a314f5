import { readFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENVIRONMENTS } from '../../catalog';
import { pluralOf } from '../../stacks/prerequisites';
import { runProgram, secretConfigFor, type ProgramRun } from './run-program';
import { distObjects, environmentRun, lookups, ownedObjects } from './stack-fixtures';

/** README's "Deploy with Pulumi" section, up to the next top-level section. */
const section = (() => {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## Deploy with Pulumi\n');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
})();

const blocks = (language: string) => [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

/** A shell line's words, quotes removed, up to a comment. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) {
    if (m[3]?.startsWith('#')) break;
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

/** Sets `path` (`a.b.c`, `a[0]`) in a config object, as `pulumi config set --path` does. */
function setPath(config: Record<string, any>, path: string, value: string): void {
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '');
  let node: any = config;
  keys.slice(0, -1).forEach((key, i) => {
    node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
    node = node[key];
  });
  node[keys[keys.length - 1]] = value;
}

/** Every stack's config after the README's commands, in order: `pulumi stack init|select`, `config set`, `config rm`. */
function readmeConfig(): { stacks: Map<string, Record<string, any>>; keys: Map<string, Set<string>> } {
  const stacks = new Map<string, Record<string, any>>();
  const keys = new Map<string, Set<string>>();
  let stack = '';
  for (const line of blocks('sh').join('\n').split('\n')) {
    const [command, group, verb, ...rest] = words(line);
    if (command !== 'pulumi') continue;
    if (group === 'stack' && (verb === 'init' || verb === 'select')) stack = rest[0];
    if (group !== 'config') continue;
    const config = stacks.get(stack) ?? {};
    stacks.set(stack, config);
    const args = rest.filter((w) => !w.startsWith('--'));
    if (verb === 'set') {
      if (rest.includes('--path')) setPath(config, args[0], args[1]);
      else config[args[0]] = args[1];
      keys.set(stack, (keys.get(stack) ?? new Set()).add(args[0].split(/[.[]/)[0]));
    }
    if (verb === 'rm') delete config[args[0]];
  }
  return { stacks, keys };
}

/** The config keys the program reads in one run (every Config getter, by key). */
async function keysRead(run: () => Promise<unknown>): Promise<Set<string>> {
  const read = new Set<string>();
  const prototype = pulumi.Config.prototype as any;
  const originals = Object.getOwnPropertyNames(prototype)
    .filter((m) => /^(get|require)/.test(m))
    .map((method) => [method, prototype[method]] as const);
  for (const [method, original] of originals) {
    prototype[method] = function (this: pulumi.Config, key: unknown, ...rest: unknown[]) {
      read.add(String(key));
      return original.call(this, key, ...rest);
    };
  }
  try {
    await run();
  } finally {
    for (const [method, original] of originals) prototype[method] = original;
  }
  return read;
}

/** Every referenced secret value, with the README's values in place of the generated ones. */
function withReadmeSecrets(readme: Record<string, Record<string, string>> = {}): Record<string, Record<string, string>> {
  const secrets = secretConfigFor('prod');
  for (const [name, keys] of Object.entries(readme)) secrets[name] = { ...secrets[name], ...keys };
  return secrets;
}

let readmeProd: Promise<{ run: ProgramRun; read: Set<string> }> | undefined;

/**
 * The prod stack configured by the README's commands, run once for this file: what it registers
 * and the config keys it reads. The README manages llm-secret elsewhere, so its value is not set.
 */
function readmeProdRun(): Promise<{ run: ProgramRun; read: Set<string> }> {
  readmeProd ??= (async () => {
    const config = readmeConfig().stacks.get('prod')!;
    const secrets = withReadmeSecrets(config.secrets);
    delete secrets['llm-secret'];
    let run: ProgramRun | undefined;
    const read = await keysRead(async () => {
      run = await runProgram('prod', { ...config, secrets });
    });
    return { run: run!, read };
  })();
  return readmeProd;
}

describe("README's deploy commands", () => {
  it('use the stacks the program knows, and set only keys the program reads for that stack', async () => {
    const { stacks, keys } = readmeConfig();
    expect([...stacks.keys()].sort()).toEqual(['cluster', 'prod']);
    expect(keys.get('prod')).toEqual(new Set(['context', 'secrets', 'adoptExistingObjects', 'existingSecrets']));
    const cluster = await keysRead(() => runProgram('cluster', stacks.get('cluster')!));
    for (const key of keys.get('cluster')!) expect(cluster, `cluster: ${key}`).toContain(key);
    const prod = (await readmeProdRun()).read;
    for (const key of keys.get('prod')!) expect(prod, `prod: ${key}`).toContain(key);
  });

  it("'secrets.<name>.<key>' with --path sets the value the Secret is created with; existingSecrets takes <namespace>/<name>", async () => {
    const config = readmeConfig().stacks.get('prod')!;
    expect(config.existingSecrets).toEqual(['suoke-life-prod/llm-secret']);
    const { registered } = (await readmeProdRun()).run;
    const database = registered.find((r) => r.name === 'Secret/suoke-life-prod/database-secret')!;
    expect(database.inputs.stringData.value['auth-db-url']).toBe(config.secrets['database-secret']['auth-db-url']);
    expect(registered.map((r) => r.name)).not.toContain('Secret/suoke-life-prod/llm-secret');
  });

  it('the cluster stack file sets the meshEnvironment the program requires', () => {
    const file = parse(readFileSync('Pulumi.cluster.yaml', 'utf8'));
    expect(file.config['suoke-platform:meshEnvironment']).toBe(readmeConfig().stacks.get('cluster')!.meshEnvironment);
    expect(ENVIRONMENTS).toContain(file.config['suoke-platform:meshEnvironment']);
  });
});

describe("README's preview permissions", () => {
  it('cover every resource the environment stacks register or look up, with the verbs a server-side dry run needs', async () => {
    const [role] = blocks('yaml').map((text) => parse(text)).filter((doc) => doc?.kind === 'ClusterRole');
    const allowed = new Map<string, Set<string>>();
    for (const rule of role.rules) for (const group of rule.apiGroups) for (const resource of rule.resources) allowed.set(`${resource}.${group}`, new Set(rule.verbs));
    const { registered } = await environmentRun('prod');
    const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
    const applied = new Set([
      ...ENVIRONMENTS.flatMap((environment) => distObjects(environment).filter(({ file }) => !file.startsWith('istio/')).map(({ object }) => `${pluralOf(object.kind)}.${groupOf(object.apiVersion)}`)),
      ...ownedObjects(registered).map((r) => `${pluralOf(r.inputs.kind)}.${groupOf(r.inputs.apiVersion)}`),
    ]);
    for (const resource of applied) expect([...(allowed.get(resource) ?? [])], resource).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'patch']));
    const looked = registered.filter((r) => r.readId).map((r) => `${pluralOf(r.type.split(':').pop()!)}.${r.type.split(':')[1].split('/')[0]}`);
    expect(lookups(registered).length).toBe(looked.length);
    for (const resource of new Set(looked)) expect([...(allowed.get(resource) ?? [])], resource).toContain('get');
  });
});
