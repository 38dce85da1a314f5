import { describe, expect, it } from 'vitest';
import { AWAIT_GRACE_SECONDS } from '../../stacks/resource-options';
import { runProgram, secretConfigFor, settleProgram, type ProgramRun, type Registered } from './run-program';
import { editedCatalog, ENVIRONMENT_SETTINGS, environmentRun, ownedObjects, ROTATED, routeTimeoutChange, secretsChangedRun } from './stack-fixtures';

const provider = (registered: readonly Registered[]) => registered.find((r) => r.type === 'pulumi:providers:kubernetes')!;

let routeChange: Promise<ProgramRun> | undefined;
/** prod with the route edit, deployed although dist/ does not hold it yet (allowUnreviewed); run once for this file. */
const routeChangeRun = () => (routeChange ??= runProgram('prod', { secrets: secretConfigFor('prod'), catalog: editedCatalog(routeTimeoutChange), allowUnreviewed: true }));

describe('in-place updates of ConfigMaps and Secrets', () => {
  it("configures the provider so data changes update in place, with server-side apply, and passes the stack's cluster settings", async () => {
    const { context, kubeconfig, renderYamlToDirectory } = ENVIRONMENT_SETTINGS.dev;
    expect(provider((await environmentRun('dev')).registered).inputs).toEqual({
      context,
      kubeconfig,
      renderYamlToDirectory,
      enableServerSideApply: 'true',
      enableConfigMapMutable: 'true',
      enableSecretMutable: 'true',
      upsertExistingObjects: 'true',
      enablePatchForce: 'true',
    });
  });

  it('a route change updates api-gateway-config: same resource, same name, new data, and the gateway pods roll', async () => {
    const before = await environmentRun('prod');
    const after = await routeChangeRun();
    const configMap = (run: { registered: readonly Registered[] }) => run.registered.find((r) => r.name === 'ConfigMap/suoke-life-prod/api-gateway-config')!;
    const [old, changed] = [configMap(before), configMap(after)];
    expect(changed.urn).toBe(old.urn);
    expect(changed.inputs.metadata.name).toBe('api-gateway-config');
    expect(changed.inputs.data).not.toEqual(old.inputs.data);
    expect(JSON.stringify(changed.inputs.data)).toContain('90000');
    // nothing asks the engine to replace: no replaceOnChanges, no deleteBeforeReplace, and the
    // provider treats ConfigMap data as mutable (above).
    expect([changed.replaceOnChanges, changed.deleteBeforeReplace]).toEqual([[], false]);
    expect(provider(after.registered).inputs.enableConfigMapMutable).toBe('true');
    const checksum = (run: { registered: readonly Registered[] }) =>
      run.registered.find((r) => r.name === 'Deployment/suoke-life-prod/api-gateway')!.inputs.spec.template.metadata.annotations['checksum/config'];
    expect(checksum(after)).not.toBe(checksum(before));
  });

  it('a rotated secret value updates the same Secret resource', async () => {
    const { registered } = await secretsChangedRun();
    const before = (await environmentRun('prod')).registered.find((r) => r.name === 'Secret/suoke-life-prod/jwt-secret')!;
    const after = registered.find((r) => r.name === 'Secret/suoke-life-prod/jwt-secret')!;
    expect(after.urn).toBe(before.urn);
    expect(after.inputs.metadata.name).toBe('jwt-secret');
    expect(Object.keys(after.inputs.stringData.value)).toEqual(Object.keys(before.inputs.stringData.value));
    expect(new Set(Object.values(after.inputs.stringData.value))).toEqual(new Set([ROTATED]));
    expect([after.replaceOnChanges, after.deleteBeforeReplace]).toEqual([[], false]);
    expect(provider(registered).inputs.enableSecretMutable).toBe('true');
  });
});

describe('protection and timeouts', () => {
  it('retains Namespaces and StatefulSets with volumes on delete, and nothing else; those StatefulSets also retain their volume claims', async () => {
    const { registered } = await environmentRun('prod');
    const retained = ownedObjects(registered).filter((r) => r.retainOnDelete);
    const withData = ownedObjects(registered).filter((r) => r.inputs.kind === 'Namespace' || r.inputs.spec?.volumeClaimTemplates?.length);
    expect(retained.map((r) => r.name)).toEqual(withData.map((r) => r.name));
    expect(retained.map((r) => r.name)).toEqual(expect.arrayContaining(['Namespace/suoke-data-prod', 'StatefulSet/suoke-data-prod/redis-cluster', 'StatefulSet/suoke-data-prod/consul-server']));
    for (const statefulSet of retained.filter((r) => r.inputs.kind === 'StatefulSet')) {
      expect(statefulSet.inputs.spec.persistentVolumeClaimRetentionPolicy, statefulSet.name).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    }
  });

  it("waits for each object as long as its own deadline (the KV seed Job's activeDeadlineSeconds), and a little more", async () => {
    const { registered } = await environmentRun('prod');
    const job = registered.find((r) => r.name === 'Job/suoke-data-prod/consul-kv-seed')!;
    const wait = `${job.inputs.spec.activeDeadlineSeconds + AWAIT_GRACE_SECONDS}s`;
    expect(job.customTimeouts).toEqual({ create: wait, update: wait, delete: '' });
    for (const object of ownedObjects(registered)) {
      const deadline = object.inputs.spec?.activeDeadlineSeconds ?? object.inputs.spec?.progressDeadlineSeconds;
      if (deadline === undefined) expect(object.customTimeouts, object.name).toBeUndefined();
      else expect(object.customTimeouts?.create, object.name).toBe(`${deadline + AWAIT_GRACE_SECONDS}s`);
    }
  });

  it('adopts existing objects only when asked: upsert and patch force on the provider', async () => {
    expect(ENVIRONMENT_SETTINGS.dev.adoptExistingObjects).toBe(true);
    expect(provider((await environmentRun('dev')).registered).inputs).toMatchObject({ upsertExistingObjects: 'true', enablePatchForce: 'true' });
    // prod sets nothing: no adoption, and the provider's defaults for the cluster.
    expect(provider((await environmentRun('prod')).registered).inputs).toEqual({ enableServerSideApply: 'true', enableConfigMapMutable: 'true', enableSecretMutable: 'true' });
  });
});

describe('deploy what was reviewed', () => {
  it('refuses, before registering anything, when the objects built differ from the committed dist/, naming the files', async () => {
    const catalog = editedCatalog(routeTimeoutChange);
    const run = await settleProgram('prod', { secrets: secretConfigFor('prod'), catalog });
    expect(run.error?.message).toBe(
      [
        'the objects built differ from the reviewed dist/prod:',
        '  dist/prod/gateway/api-gateway.yaml (changed)',
        'run `npm run synth`, review and commit dist/, then deploy; or deploy anyway: pulumi config set allowUnreviewed true',
      ].join('\n'),
    );
    expect(run.registered).toEqual([]);
  });

  it('names files missing from, or no longer built into, the reviewed output', async () => {
    const catalog = editedCatalog((text) => text.replace(/\n  - name: user-service\n/, '\n  - name: profile-service\n').replace(/service: user-service\b/g, 'service: profile-service'));
    const run = await settleProgram('prod', { secrets: secretConfigFor('prod'), catalog });
    expect(run.error?.message).toContain('  dist/prod/services/profile-service.yaml (not in the reviewed output)');
    expect(run.error?.message).toContain('  dist/prod/services/user-service.yaml (no longer built)');
  });

  it('deploys an unreviewed change only when allowUnreviewed is set, with a warning naming the files', async () => {
    const { registered, logs } = await routeChangeRun();
    expect(logs).toContain('warn: deploying objects that differ from the reviewed dist/prod (allowUnreviewed is set):\n  dist/prod/gateway/api-gateway.yaml (changed)');
    expect(registered.map((r) => r.name)).toContain('ConfigMap/suoke-life-prod/api-gateway-config');
  });
});
