import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { loadCatalog, resolve } from '../catalog';
import { buildPlatformApp } from '../charts/app';
import { renderEnvironment } from '../charts/render';
import { standardLabels } from '../components/common';
import { istioHelmValues } from '../components/mesh/istio-helm-values';
import { ChartResources } from './chart-resources';
import { IstioInstall } from './istio-install';
import { resourceNameOf, type KubernetesObject } from './kubernetes-resource';
import { assertSecretValuesConfigured, PlatformSecrets } from './platform-secrets';
import { referencedSecrets } from './referenced-secrets';
import { readStackSettings, type StackSettings } from './stack-settings';

/** The chart every other chart depends on: Namespaces exist before anything is put in them. */
const FOUNDATION_CHART = 'namespaces';

/**
 * The whole program: builds the same cdk8s app `npm run synth` renders for this stack's
 * environment and registers one Pulumi resource per object of every applied chart. Nothing is
 * rebuilt here; a test proves the registered objects equal `dist/<env>/`.
 */
export function deployPlatform(settings: StackSettings = readStackSettings()) {
  const model = resolve(loadCatalog(), settings.environment);
  const platform = buildPlatformApp(model);
  const files = renderEnvironment(settings.environment, platform);
  const objectsOf = (chart: string) => files.filter((f) => f.path.startsWith(`${settings.environment}/${chart}/`)).flatMap((f) => f.objects as KubernetesObject[]);
  const applied = platform.charts.filter((chart) => chart.applied).map((chart) => chart.node.id);
  const secretReferences = referencedSecrets(applied.flatMap(objectsOf));
  // checked before anything is registered, so a preview with a missing value changes nothing.
  assertSecretValuesConfigured(secretReferences, settings.existingSecrets, settings.configuredSecretKeys);

  const provider = new k8s.Provider('kubernetes', {
    kubeconfig: settings.kubeconfig,
    context: settings.context,
    renderYamlToDirectory: settings.renderYamlToDirectory,
    // server-side apply tracks field ownership, so a field another controller manages (an HPA's
    // replica count) is never fought over.
    enableServerSideApply: true,
  });
  const providers = { kubernetes: provider };

  const namespaces = new ChartResources(FOUNDATION_CHART, { objects: objectsOf(FOUNDATION_CHART) }, { providers });
  const secrets = new PlatformSecrets(
    'secrets',
    {
      references: secretReferences,
      existing: settings.existingSecrets,
      configuredKeys: settings.configuredSecretKeys,
      values: settings.secretValues,
      labels: standardLabels({ name: 'platform-secrets', instance: `${model.platform.name}-${model.environment}`, component: 'secret', partOf: model.platform.name }),
    },
    { providers, dependsOn: [namespaces] },
  );
  if (settings.installIstio && settings.renderYamlToDirectory) {
    pulumi.log.warn('renderYamlToDirectory cannot render Helm releases: Istio is not installed in render mode (installIstio is ignored)');
  }
  // workloads come after istiod, so its injector gives every pod its sidecar, and mesh policy
  // after the CRDs the base chart installs.
  const istio =
    settings.installIstio && !settings.renderYamlToDirectory
      ? new IstioInstall('istio', { values: istioHelmValues(model.istio), namespace: model.istio.rootNamespace, ingressGateway: model.istio.ingressGateway.enabled }, { providers })
      : undefined;
  const charts = new Map<string, ChartResources>([[FOUNDATION_CHART, namespaces]]);
  for (const chart of applied.filter((id) => id !== FOUNDATION_CHART)) {
    charts.set(chart, new ChartResources(chart, { objects: objectsOf(chart) }, { providers, dependsOn: [namespaces, secrets, ...(istio ? [istio] : [])] }));
  }

  const publicServices = [...charts.values()].flatMap((chart) =>
    [...chart.resources.entries()].flatMap(([name, resource]) => {
      const object = applied.flatMap(objectsOf).find((o) => resourceNameOf(o) === name);
      if (object?.kind !== 'Service' || object.spec?.type !== 'LoadBalancer') return [];
      const service = resource as k8s.core.v1.Service;
      return [{ service: `${object.metadata.namespace}/${object.metadata.name}`, address: service.status.apply((s) => s?.loadBalancer?.ingress?.[0]?.hostname ?? s?.loadBalancer?.ingress?.[0]?.ip ?? 'pending') }];
    }),
  );

  return {
    environment: model.environment,
    apiHost: model.hostnames.api,
    namespaces: model.namespaces,
    publicServices,
    istioIngressGateway: istio?.gatewayService ?? 'not installed by this stack',
    objectCounts: Object.fromEntries([...charts].map(([id, chart]) => [id, chart.resources.size])),
    secretsCreated: secrets.secrets.length,
  };
}
