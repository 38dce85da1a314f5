import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { standardLabels } from '../components/common';
import { ChartResources } from './chart-resources';
import { buildEnvironment, isClusterLevel } from './environment-build';
import { resourceNameOf, type KubernetesObject } from './kubernetes-resource';
import { platformProvider } from './platform-provider';
import { assertExistingSecrets, assertSecretValuesConfigured, PlatformSecrets } from './platform-secrets';
import { injectorWebhookName, Prerequisites, requiredDefinitions } from './prerequisites';
import { referencedSecrets } from './referenced-secrets';
import type { StackSettings } from './stack-settings';

/** The chart every other chart depends on: Namespaces exist before anything is put in them. */
const FOUNDATION_CHART = 'namespaces';

/**
 * An environment stack: builds the same cdk8s app `npm run synth` renders for this stack's
 * environment and registers one Pulumi resource per object it owns: every applied object but the
 * mesh-wide ones, which the cluster stack owns (cluster-stack.ts). Nothing is rebuilt here; a test
 * proves the registered objects equal `dist/<env>/`.
 *
 * Order: the prerequisites are looked up first (CRDs, Istio's injector), then the Namespaces, then
 * the Secrets, then every other chart.
 */
export function deployPlatform(settings: StackSettings) {
  const build = buildEnvironment(settings.environment, settings);
  const { model } = build;
  const owned = build.charts.map((chart) => ({ ...chart, objects: chart.objects.filter((o) => !isClusterLevel(o, model.istio.rootNamespace)) }));
  const objects = owned.flatMap((chart) => chart.objects);
  const secretReferences = referencedSecrets(objects);
  // checked before anything is registered, so a preview with a missing value changes nothing.
  assertExistingSecrets(secretReferences, settings.existingSecrets);
  assertSecretValuesConfigured(secretReferences, settings.existingSecrets, settings.configuredSecretKeys);

  const providers = { kubernetes: platformProvider(settings) };
  // a rendering run has no cluster to look anything up in.
  const prerequisites = settings.renderYamlToDirectory
    ? []
    : [new Prerequisites('prerequisites', { definitions: requiredDefinitions(objects), injectorWebhook: injectorWebhookName(model.istio.rootNamespace) }, { providers })];
  const objectsOf = (id: string) => owned.find((chart) => chart.id === id)?.objects ?? [];
  const namespaces = new ChartResources(FOUNDATION_CHART, { objects: objectsOf(FOUNDATION_CHART) }, { providers, dependsOn: prerequisites });
  const secrets = new PlatformSecrets(
    'secrets',
    {
      references: secretReferences,
      existing: settings.existingSecrets,
      configuredKeys: settings.configuredSecretKeys,
      values: settings.secretValues,
      labels: standardLabels({ name: 'platform-secrets', instance: `${model.platform.name}-${model.environment}`, component: 'secret', partOf: model.platform.name }),
    },
    { providers, dependsOn: [...prerequisites, namespaces] },
  );
  const charts = new Map<string, ChartResources>([[FOUNDATION_CHART, namespaces]]);
  for (const chart of owned.filter((c) => c.id !== FOUNDATION_CHART && c.objects.length > 0)) {
    charts.set(chart.id, new ChartResources(chart.id, { objects: chart.objects }, { providers, dependsOn: [...prerequisites, namespaces, secrets] }));
  }

  return {
    environment: model.environment,
    apiHost: model.hostnames.api,
    namespaces: model.namespaces,
    publicServices: publicServices(objects, charts),
    objectCounts: Object.fromEntries([...charts].map(([id, chart]) => [id, chart.resources.size])),
    secretsCreated: secrets.secrets.length,
  };
}

/** Each LoadBalancer Service, with the address the cluster gave it. */
function publicServices(objects: readonly KubernetesObject[], charts: ReadonlyMap<string, ChartResources>) {
  const resources = new Map([...charts.values()].flatMap((chart) => [...chart.resources]));
  return objects
    .filter((object) => object.kind === 'Service' && object.spec?.type === 'LoadBalancer')
    .map((object) => {
      const service = resources.get(resourceNameOf(object)) as k8s.core.v1.Service;
      const address: pulumi.Output<string> = service.status.apply((s) => s?.loadBalancer?.ingress?.[0]?.hostname ?? s?.loadBalancer?.ingress?.[0]?.ip ?? 'pending');
      return { service: `${object.metadata.namespace}/${object.metadata.name}`, address };
    });
}
