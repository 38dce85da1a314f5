import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, loadCatalog, resolve } from '../../catalog';
import { istioHelmValues } from '../../components/mesh/istio-helm-values';
import { appliedObjects, runProgram, secretConfigFor, withIngressGateway, type Registered } from './run-program';

const HELM_RELEASE = 'kubernetes:helm.sh/v3:Release';

/** `apiVersion kind namespace/name` of an object. */
const identity = (o: Record<string, any>) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Kubernetes objects the program registered, without the provider and the Secrets it creates from config. */
function kubernetesObjects(registered: readonly Registered[]) {
  return registered.filter((r) => r.type.startsWith('kubernetes:') && r.type !== HELM_RELEASE && r.inputs.kind !== 'Secret');
}

/** The objects in the committed dist/<env>/ folders of applied charts, read back from YAML. */
function distObjects(environment: string, appliedFolders: Set<string>): Record<string, any>[] {
  const root = join('dist', environment);
  return readdirSync(root, { recursive: true })
    .map(String)
    .filter((path) => path.endsWith('.yaml') && appliedFolders.has(path.split('/')[0]))
    .sort()
    .flatMap((path) => parseAllDocuments(readFileSync(join(root, path), 'utf8')).map((doc) => doc.toJS()));
}

describe.each(ENVIRONMENTS)('pulumi up for stack %s', (environment) => {
  it('registers exactly the objects of dist/ meant to be applied, each with the YAML as its inputs', async () => {
    const { registered } = await runProgram(environment, { secrets: secretConfigFor(environment) });
    const folders = new Set(appliedObjects(environment).length ? readdirSync(join('dist', environment)).filter((f) => !f.endsWith('.md')) : []);
    folders.delete('istio');
    const expected = distObjects(environment, folders);
    const actual = kubernetesObjects(registered).map((r) => r.inputs);
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

describe('secrets', () => {
  it('creates every referenced Secret from config secrets, and no value is ever in plain text', async () => {
    const secrets = secretConfigFor('prod');
    const { registered, outputs } = await runProgram('prod', { secrets });
    const created = registered.filter((r) => r.inputs.kind === 'Secret').map((r) => r.name).sort();
    expect(created).toEqual([
      'Secret/suoke-data-prod/consul-acl-bootstrap',
      'Secret/suoke-data-prod/consul-client-token',
      'Secret/suoke-data-prod/consul-gossip-key',
      'Secret/suoke-data-prod/redis-auth',
      'Secret/suoke-life-prod/blockchain-secret',
      'Secret/suoke-life-prod/consul-client-token',
      'Secret/suoke-life-prod/database-secret',
      'Secret/suoke-life-prod/jwt-secret',
      'Secret/suoke-life-prod/kong-rate-limit-redis',
      'Secret/suoke-life-prod/llm-secret',
      'Secret/suoke-life-prod/redis-auth',
      'Secret/suoke-observability-prod/jaeger-elasticsearch',
    ]);
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

  it('references Secrets declared as existing instead of creating them', async () => {
    const secrets = secretConfigFor('prod');
    delete secrets['llm-secret'];
    const { registered } = await runProgram('prod', { secrets, existingSecrets: ['llm-secret'] });
    expect(registered.map((r) => r.name)).not.toContain('Secret/suoke-life-prod/llm-secret');
    expect(registered.map((r) => r.name)).toContain('Secret/suoke-life-prod/jwt-secret');
  });
});

describe('the stack', () => {
  it('refuses a stack that is not an environment of the catalog', async () => {
    await expect(runProgram('production', {})).rejects.toThrow('stack "production" is not an environment of the catalog; use one of dev, staging, prod (pulumi stack select prod)');
  });

  it('configures the provider from stack config, with server-side apply on', async () => {
    const { registered } = await runProgram('dev', { secrets: secretConfigFor('dev'), context: 'kind-dev', kubeconfig: '/etc/kube/dev.yaml', renderYamlToDirectory: 'rendered/dev' });
    const provider = registered.find((r) => r.type === 'pulumi:providers:kubernetes')!;
    expect(provider.inputs).toMatchObject({ context: 'kind-dev', kubeconfig: '/etc/kube/dev.yaml', renderYamlToDirectory: 'rendered/dev', enableServerSideApply: 'true' });
  });

  it('exports the public host, namespaces and object counts per chart', async () => {
    const { outputs } = await runProgram('prod', { secrets: secretConfigFor('prod') });
    expect(outputs.environment).toBe('prod');
    expect(outputs.apiHost).toBe('api.suoke.life');
    expect(outputs.namespaces.apps).toBe('suoke-life-prod');
    expect(Object.values<number>(outputs.objectCounts).reduce((a, b) => a + b, 0)).toBe(appliedObjects('prod').length);
  });

  it('names resources stably after kind, namespace and name (a rename is a visible diff)', async () => {
    const { registered } = await runProgram('prod', { secrets: secretConfigFor('prod') });
    expect(registered.map((r) => `${r.type} ${r.name}`).sort()).toMatchSnapshot();
  });
});

describe('Istio from its Helm charts', () => {
  it('installs base, cni and istiod at the pinned version with values mapped from the typed config, and no ingress gateway: Kong is the one public entry', async () => {
    const { registered, outputs } = await runProgram('prod', { secrets: secretConfigFor('prod') });
    const releases = registered.filter((r) => r.type === HELM_RELEASE);
    const values = istioHelmValues(resolve(loadCatalog(), 'prod').istio);
    expect(releases.map((r) => [r.name, r.inputs.chart, r.inputs.name, r.inputs.namespace])).toEqual([
      ['istio-base', 'base', 'istio-base', 'istio-system'],
      ['istio-cni', 'cni', 'istio-cni', 'istio-system'],
      ['istio-istiod', 'istiod', 'istiod', 'istio-system'],
    ]);
    expect(releases.every((r) => r.inputs.version === values.version && r.inputs.repositoryOpts.repo === 'https://istio-release.storage.googleapis.com/charts')).toBe(true);
    expect(values.version).toBe('1.30.1');
    expect(releases.map((r) => r.inputs.values)).toEqual([values.base, values.cni, values.istiod]);
    expect(outputs.istioIngressGateway).toBe('not installed by this stack');
  });

  it('installs the gateway chart with its values when the catalog turns the ingress gateway on', async () => {
    const { registered, outputs } = await withIngressGateway(() => runProgram('prod', { secrets: secretConfigFor('prod') }));
    const gateway = registered.filter((r) => r.type === HELM_RELEASE && r.inputs.chart === 'gateway');
    const values = istioHelmValues(resolve(loadCatalog(), 'prod').istio);
    expect(gateway.map((r) => [r.name, r.inputs.name, r.inputs.namespace, r.inputs.version])).toEqual([['istio-gateway', 'istio-ingressgateway', 'istio-system', '1.30.1']]);
    expect(gateway[0].inputs.values).toEqual(values.gateway);
    expect(outputs.istioIngressGateway).toBe('istio-system/istio-ingressgateway');
  });

  it('installs nothing when Istio is managed elsewhere, or when rendering to a directory', async () => {
    const off = await runProgram('prod', { secrets: secretConfigFor('prod'), installIstio: 'false' });
    expect(off.registered.filter((r) => r.type === HELM_RELEASE)).toEqual([]);
    expect(off.outputs.istioIngressGateway).toBe('not installed by this stack');
    const rendering = await runProgram('dev', { secrets: secretConfigFor('dev'), renderYamlToDirectory: 'rendered/dev' });
    expect(rendering.registered.filter((r) => r.type === HELM_RELEASE)).toEqual([]);
  });
});
