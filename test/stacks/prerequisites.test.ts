import { describe, expect, it } from 'vitest';
import { CRD_PROVIDERS, pluralOf, requiredDefinitions } from '../../stacks/prerequisites';
import { resourceClassFor } from '../../stacks/kubernetes-resource';
import { secretConfigFor, settleProgram } from './run-program';
import { distObjects, ENVIRONMENT_SETTINGS, environmentRun, lookups, ownedObjects } from './stack-fixtures';

describe('requiredDefinitions', () => {
  it('derives one CRD per custom kind from apiVersion and kind, with what installs it', () => {
    const object = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: 'x', namespace: 'ns' } });
    expect(
      requiredDefinitions([
        object('monitoring.coreos.com/v1', 'PodMonitor'),
        object('monitoring.coreos.com/v1', 'PodMonitor'),
        object('security.istio.io/v1', 'AuthorizationPolicy'),
        object('cert-manager.io/v1', 'Certificate'),
        object('example.com/v1alpha1', 'Widget'),
        object('apps/v1', 'Deployment'),
      ]),
    ).toEqual([
      { name: 'authorizationpolicies.security.istio.io', kinds: ['security.istio.io/v1 AuthorizationPolicy'], install: "Istio's base Helm chart: `pulumi up` on the cluster stack" },
      { name: 'certificates.cert-manager.io', kinds: ['cert-manager.io/v1 Certificate'], install: 'cert-manager (its Helm chart with crds.enabled=true)' },
      { name: 'podmonitors.monitoring.coreos.com', kinds: ['monitoring.coreos.com/v1 PodMonitor'], install: 'the Prometheus Operator CRDs (the prometheus-operator-crds Helm chart, or kube-prometheus-stack)' },
      { name: 'widgets.example.com', kinds: ['example.com/v1alpha1 Widget'], install: 'the CRDs of the API group example.com' },
    ]);
  });

  it('pluralizes as Kubernetes guesses a resource from a kind', () => {
    expect(['PeerAuthentication', 'AuthorizationPolicy', 'PrometheusRule', 'Ingress', 'ClusterIssuer'].map(pluralOf)).toEqual([
      'peerauthentications',
      'authorizationpolicies',
      'prometheusrules',
      'ingresses',
      'clusterissuers',
    ]);
  });
});

describe('prerequisites, looked up before anything is registered', () => {
  it('looks up the CRD of every custom kind in the output and Istio sidecar injector, and every object depends on them', async () => {
    const { registered } = await environmentRun('prod');
    const customKinds = distObjects('prod')
      .filter(({ file, object }) => !file.startsWith('istio/') && object.metadata.namespace !== 'istio-system' && !resourceClassFor(object.apiVersion, object.kind).typed)
      .map(({ object }) => `${pluralOf(object.kind)}.${object.apiVersion.split('/')[0]}`);
    expect(customKinds).toEqual(expect.arrayContaining(['podmonitors.monitoring.coreos.com', 'prometheusrules.monitoring.coreos.com', 'authorizationpolicies.security.istio.io']));
    expect(lookups(registered).sort()).toEqual([...new Set(customKinds), 'istio-sidecar-injector'].sort());
    const lookupUrns = registered.filter((r) => r.readId).map((r) => r.urn);
    for (const object of ownedObjects(registered)) expect(object.dependencies, object.name).toEqual(expect.arrayContaining(lookupUrns));
  });

  it.each([true, false])('a missing CRD fails the run before any object is registered (preview: %s), with what to install', async (preview) => {
    const run = await settleProgram('prod', { secrets: secretConfigFor('prod') }, { missing: ['podmonitors.monitoring.coreos.com'], preview });
    expect(run.error?.message).toContain("resource 'podmonitors.monitoring.coreos.com' does not exist");
    expect(run.logs).toContain(`info: needs CRD podmonitors.monitoring.coreos.com (for monitoring.coreos.com/v1 PodMonitor); if it is missing, install ${CRD_PROVIDERS['monitoring.coreos.com']}`);
    expect(ownedObjects(run.registered)).toEqual([]);
  });

  it('a missing sidecar injector (Istio not installed by the cluster stack) fails the run before any object is registered', async () => {
    const run = await settleProgram('prod', { secrets: secretConfigFor('prod') }, { missing: ['istio-sidecar-injector'] });
    expect(run.error?.message).toContain("resource 'istio-sidecar-injector' does not exist");
    expect(ownedObjects(run.registered)).toEqual([]);
  });

  it('looks nothing up when rendering to a directory (there is no cluster)', async () => {
    expect(ENVIRONMENT_SETTINGS.dev.renderYamlToDirectory).toBeDefined();
    expect(lookups((await environmentRun('dev')).registered)).toEqual([]);
  });
});
