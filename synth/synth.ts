import { ENVIRONMENTS, resolve, type Catalog, type EnvironmentName } from '../catalog';
import { connectivityDocument } from '../review/connectivity-document';
import { platformConnectivity } from '../review/connectivity/platform';
import { reviewDocuments } from '../review/documents';
import { buildPlatformApp } from '../charts/app';
import { renderEnvironment, type RenderedFile } from './render';

export interface EnvironmentOutput {
  readonly environment: EnvironmentName;
  readonly files: readonly RenderedFile[];
  readonly objects: number;
  readonly milliseconds: number;
}

/** Synthesizes every environment in memory; nothing is written. */
export function synthesize(catalog: Catalog, environments: readonly EnvironmentName[] = ENVIRONMENTS): EnvironmentOutput[] {
  return environments.map((environment) => synthesizeEnvironment(catalog, environment));
}

/** One environment's files: its manifests, and GRAPH.md and SUMMARY.md computed from them. */
export function synthesizeEnvironment(catalog: Catalog, environment: EnvironmentName): EnvironmentOutput {
  const started = performance.now();
  const model = resolve(catalog, environment);
  const manifests = renderEnvironment(environment, buildPlatformApp(model));
  const objects = manifests.flatMap((f) => f.objects);
  // GRAPH.md, SUMMARY.md and CONNECTIVITY.md are computed from the rendered objects, so dist/ freshness keeps them current
  const documents = [
    ...reviewDocuments(environment, objects),
    { path: `${environment}/CONNECTIVITY.md`, content: connectivityDocument(environment, platformConnectivity(model, objects, { leastPrivilege: false })) },
  ];
  const files = [...manifests, ...documents.map((d) => ({ ...d, objects: [] }))].sort((a, b) => (a.path < b.path ? -1 : 1));
  return {
    environment,
    files,
    objects: files.reduce((n, f) => n + f.objects.length, 0),
    milliseconds: performance.now() - started,
  };
}
