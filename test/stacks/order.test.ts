import { describe, expect, it } from 'vitest';
import { referencedSecrets } from '../../stacks/referenced-secrets';
import type { KubernetesObject } from '../../stacks/kubernetes-resource';
import { environmentRun, ownedObjects } from './stack-fixtures';

/** Kinds that run pods: what must start after its namespace, its Secrets, the CRDs and Istio's injector. */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

describe('the dependency graph (dependsOn, as registered with the engine)', () => {
  it('every workload depends on its namespace, the prerequisites, Istio and the Secrets it reads', async () => {
    const { registered } = await environmentRun('prod');
    const urnOf = new Map(registered.map((r) => [r.name, r.urn]));
    const prerequisites = registered.filter((r) => r.readId).map((r) => r.urn);
    const injector = registered.find((r) => r.readId === 'istio-sidecar-injector')!.urn;
    const workloads = ownedObjects(registered).filter((r) => WORKLOAD_KINDS.has(r.inputs.kind));
    expect([...new Set(workloads.map((w) => w.inputs.kind))].sort()).toEqual([...WORKLOAD_KINDS].sort());
    // a Secret cert-manager writes from a Certificate is no stack resource: the pod waits for it.
    const certificates = ownedObjects(registered).filter((r) => r.inputs.kind === 'Certificate').map((r) => r.inputs as KubernetesObject);
    for (const workload of workloads) {
      const { namespace } = workload.inputs.metadata;
      const secrets = referencedSecrets([workload.inputs as KubernetesObject, ...certificates]).map((ref) => urnOf.get(`Secret/${ref.namespace}/${ref.name}`));
      expect(secrets.every(Boolean), workload.name).toBe(true);
      expect(workload.dependencies, workload.name).toEqual(expect.arrayContaining([urnOf.get(`Namespace/${namespace}`), injector, ...prerequisites, ...secrets]));
    }
  });

  it('Secrets depend on their namespace; namespaces on the prerequisites only', async () => {
    const { registered } = await environmentRun('prod');
    const urnOf = new Map(registered.map((r) => [r.name, r.urn]));
    const prerequisites = registered.filter((r) => r.readId).map((r) => r.urn);
    for (const secret of ownedObjects(registered).filter((r) => r.inputs.kind === 'Secret')) {
      expect(secret.dependencies, secret.name).toEqual(expect.arrayContaining([urnOf.get(`Namespace/${secret.inputs.metadata.namespace}`), ...prerequisites]));
    }
    for (const namespace of ownedObjects(registered).filter((r) => r.inputs.kind === 'Namespace')) {
      expect([...namespace.dependencies].sort(), namespace.name).toEqual([...prerequisites].sort());
    }
  });
});
