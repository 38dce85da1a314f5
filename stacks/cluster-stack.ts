import * as pulumi from '@pulumi/pulumi';
import { istioHelmValues } from '../components/mesh/istio-helm-values';
import { ChartResources } from './chart-resources';
import { buildEnvironment, isClusterLevel } from './environment-build';
import { IstioInstall } from './istio-install';
import { platformProvider } from './platform-provider';
import { Prerequisites, requiredDefinitions } from './prerequisites';
import type { ClusterSettings } from './stack-settings';

/**
 * The cluster stack: what exists once per cluster, whichever environments share it. Istio (its
 * Helm releases are cluster-wide: a second stack installing them would fail on the release name)
 * and the mesh-wide objects of the Istio root namespace (the STRICT `default` PeerAuthentication),
 * built from `meshEnvironment`'s mesh settings and checked against its reviewed `dist/<env>/`.
 * Environment stacks own only their namespaces, so destroying one never weakens another.
 */
export function deployCluster(settings: ClusterSettings) {
  const build = buildEnvironment(settings.meshEnvironment, settings);
  const { model } = build;
  const objects = build.charts.flatMap((chart) => chart.objects).filter((o) => isClusterLevel(o, model.istio.rootNamespace));
  const providers = { kubernetes: platformProvider(settings) };

  if (settings.installIstio && settings.renderYamlToDirectory) {
    pulumi.log.warn('renderYamlToDirectory cannot render Helm releases: Istio is not installed in render mode (installIstio is ignored)');
  }
  const istio =
    settings.installIstio && !settings.renderYamlToDirectory
      ? new IstioInstall('istio', { values: istioHelmValues(model.istio), namespace: model.istio.rootNamespace }, { providers })
      : undefined;
  // with Istio installed here, its base chart brings the CRDs; otherwise they must exist already.
  const prerequisites = istio || settings.renderYamlToDirectory ? [] : [new Prerequisites('prerequisites', { definitions: requiredDefinitions(objects) }, { providers })];
  const meshWide = new ChartResources('mesh-wide', { objects }, { providers, dependsOn: [...prerequisites, ...(istio ? [istio] : [])] });

  return {
    meshEnvironment: model.environment,
    istioIngressGateway: istio?.gatewayService ?? 'not installed by this stack',
    meshWideObjects: meshWide.resources.size,
  };
}
