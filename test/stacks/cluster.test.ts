import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS, loadCatalog, resolve } from '../../catalog';
import { istioHelmValues } from '../../components/mesh/istio-helm-values';
import { runProgram } from './run-program';
import { clusterRun, environmentRun, distObjects, HELM_RELEASE, identity, lookups, ownedObjects } from './stack-fixtures';

const root = resolve(loadCatalog(), 'prod').istio.rootNamespace;

describe('the cluster stack: what exists once per cluster', () => {
  it('installs base, cni and istiod at the pinned version with values mapped from the typed config, and no ingress gateway: Kong is the one public entry', async () => {
    const { registered, outputs } = await clusterRun('prod');
    const releases = registered.filter((r) => r.type === HELM_RELEASE);
    const values = istioHelmValues(resolve(loadCatalog(), 'prod').istio);
    expect(releases.map((r) => [r.name, r.inputs.chart, r.inputs.name, r.inputs.namespace])).toEqual([
      ['istio-base', 'base', 'istio-base', root],
      ['istio-cni', 'cni', 'istio-cni', root],
      ['istio-istiod', 'istiod', 'istiod', root],
    ]);
    expect(releases.every((r) => r.inputs.version === values.version && r.inputs.repositoryOpts.repo === 'https://istio-release.storage.googleapis.com/charts')).toBe(true);
    expect(releases.map((r) => r.inputs.values)).toEqual([values.base, values.cni, values.istiod]);
    expect(outputs.meshEnvironment).toBe('prod');
  });

  it('owns the mesh-wide objects of dist/<meshEnvironment>/ (the root namespace), applied after the Istio releases', async () => {
    const { registered } = await clusterRun('prod');
    const expected = distObjects('prod')
      .filter(({ file, object }) => !file.startsWith('istio/') && object.metadata.namespace === root)
      .map(({ object }) => object);
    const owned = ownedObjects(registered);
    expect(expected.map(identity)).toContain(`security.istio.io/v1 PeerAuthentication ${root}/default`);
    expect(owned.map((r) => r.inputs)).toEqual(expected);
    const releases = registered.filter((r) => r.type === HELM_RELEASE).map((r) => r.urn);
    for (const object of owned) expect(object.dependencies).toEqual(expect.arrayContaining(releases));
  });

  it('installs no Istio where it is managed elsewhere, and then looks up the CRDs its objects need', async () => {
    const { registered, outputs } = await runProgram('cluster', { meshEnvironment: 'prod', installIstio: false });
    expect(registered.filter((r) => r.type === HELM_RELEASE)).toEqual([]);
    expect(outputs.istioIngressGateway).toBe('not installed by this stack');
    expect(lookups(registered)).toEqual(['peerauthentications.security.istio.io']);
    const lookupUrns = registered.filter((r) => r.readId).map((r) => r.urn);
    for (const object of ownedObjects(registered)) expect(object.dependencies).toEqual(lookupUrns);
  });

  it('cannot render Helm releases: installs no Istio when rendering to a directory', async () => {
    const { registered, logs } = await runProgram('cluster', { meshEnvironment: 'prod', renderYamlToDirectory: 'rendered/cluster' });
    expect(registered.filter((r) => r.type === HELM_RELEASE)).toEqual([]);
    expect(logs).toContain('warn: renderYamlToDirectory cannot render Helm releases: Istio is not installed in render mode (installIstio is ignored)');
  });

  it('needs meshEnvironment, an environment of the catalog', async () => {
    await expect(runProgram('cluster', {})).rejects.toThrow('Missing required configuration variable');
    await expect(runProgram('cluster-nonprod', { meshEnvironment: 'qa' })).rejects.toThrow(
      'meshEnvironment "qa" is not an environment of the catalog; use one of dev, staging, prod (pulumi config set meshEnvironment prod)',
    );
  });
});

describe('environments sharing one cluster', () => {
  it('register no object twice, no Helm release and nothing mesh-wide: destroying one leaves the others and the mesh intact', async () => {
    const runs = await Promise.all(ENVIRONMENTS.map(async (environment) => ({ environment, run: await environmentRun(environment) })));
    const cluster = await clusterRun('prod');
    const owners = new Map<string, string[]>();
    for (const [stack, registered] of [...runs.map(({ environment, run }) => [environment, run.registered] as const), ['cluster', cluster.registered] as const]) {
      for (const r of ownedObjects(registered)) owners.set(identity(r.inputs), [...(owners.get(identity(r.inputs)) ?? []), stack]);
    }
    expect([...owners].filter(([, stacks]) => stacks.length > 1)).toEqual([]);
    for (const { run } of runs) {
      expect(run.registered.filter((r) => r.type === HELM_RELEASE)).toEqual([]);
      expect(ownedObjects(run.registered).filter((r) => r.inputs.metadata.namespace === root)).toEqual([]);
    }
    // nothing of dist/ is left without an owner (the mesh-wide objects are the same in every environment).
    for (const environment of ENVIRONMENTS) {
      const unowned = distObjects(environment)
        .filter(({ file }) => !file.startsWith('istio/'))
        .map(({ object }) => identity(object))
        .filter((id) => !owners.has(id));
      expect(unowned, environment).toEqual([]);
    }
  });
});
