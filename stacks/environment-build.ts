import { loadCatalog, resolve, type EnvironmentName, type PlatformModel } from '../catalog';
import { buildPlatformApp } from '../charts/app';
import { appliedCharts, renderEnvironment, type RenderedFile } from '../synth/render';
import type { KubernetesObject } from './kubernetes-resource';
import { assertReviewed } from './reviewed-output';

/** One environment as `npm run synth` builds it, checked against the reviewed output. */
export interface EnvironmentBuild {
  readonly model: PlatformModel;
  readonly files: readonly RenderedFile[];
  /** The charts the cluster receives, in the order they are applied, with their objects. */
  readonly charts: readonly { readonly id: string; readonly objects: readonly KubernetesObject[] }[];
}

export interface EnvironmentBuildOptions {
  readonly catalog: string;
  readonly dist: string;
  readonly allowUnreviewed: boolean;
}

/**
 * Builds the same cdk8s app `npm run synth` renders for an environment, and refuses (before
 * anything is registered) when it differs from the reviewed `dist/<env>/`.
 */
export function buildEnvironment(environment: EnvironmentName, options: EnvironmentBuildOptions): EnvironmentBuild {
  const model = resolve(loadCatalog(options.catalog), environment);
  const platform = buildPlatformApp(model);
  const files = renderEnvironment(environment, platform);
  assertReviewed(files, options.dist, environment, options.allowUnreviewed);
  const applied = appliedCharts(platform);
  const charts = platform.charts
    .filter((chart) => applied.has(chart.node.id))
    .map((chart) => ({
      id: chart.node.id,
      objects: files.filter((f) => f.path.startsWith(`${environment}/${chart.node.id}/`)).flatMap((f) => f.objects as KubernetesObject[]),
    }));
  return { model, files, charts };
}

/**
 * Whether an object exists once per cluster rather than once per environment: it lives in Istio's
 * root namespace, where a policy (the `default` PeerAuthentication) applies mesh-wide. The cluster
 * stack owns these; two environment stacks on one cluster would otherwise both own it, and
 * destroying either would remove it from the other.
 */
export function isClusterLevel(object: KubernetesObject, istioRootNamespace: string): boolean {
  return object.metadata.namespace === istioRootNamespace;
}
