import { ENVIRONMENTS, resolve, type Catalog, type EnvironmentName } from '../catalog';
import { buildPlatformApp } from './app';
import { renderEnvironment, type RenderedFile } from './render';

export interface EnvironmentOutput {
  readonly environment: EnvironmentName;
  readonly files: readonly RenderedFile[];
  readonly objects: number;
  readonly milliseconds: number;
}

/** Synthesizes every environment in memory; nothing is written. */
export function synthesize(catalog: Catalog, environments: readonly EnvironmentName[] = ENVIRONMENTS): EnvironmentOutput[] {
  return environments.map((environment) => {
    const started = performance.now();
    const files = renderEnvironment(environment, buildPlatformApp(resolve(catalog, environment)));
    return {
      environment,
      files,
      objects: files.reduce((n, f) => n + f.objects.length, 0),
      milliseconds: performance.now() - started,
    };
  });
}
