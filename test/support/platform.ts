import { ENVIRONMENTS, loadCatalog, type EnvironmentName } from '../../catalog';
import { synthesize, type EnvironmentOutput } from '../../synth/synth';

/** A synthesized object with where it was written. */
export interface SynthesizedObject {
  readonly environment: EnvironmentName;
  /** Path under dist/, e.g. `prod/services/xiaoai-service.yaml`. */
  readonly file: string;
  readonly object: Record<string, any>;
}

let cached: EnvironmentOutput[] | undefined;

/** Every environment of the real catalog, synthesized in memory once per test file. */
export function realPlatform(): EnvironmentOutput[] {
  cached ??= synthesize(loadCatalog());
  return cached;
}

/** Every object of every environment of the real catalog. */
export function allObjects(): SynthesizedObject[] {
  return realPlatform().flatMap((output) =>
    output.files.flatMap((file) => file.objects.map((object) => ({ environment: output.environment, file: file.path, object }))),
  );
}

/** The objects of one environment. */
export function objectsOf(environment: EnvironmentName): SynthesizedObject[] {
  return allObjects().filter((o) => o.environment === environment);
}

/** `Kind namespace/name` in one environment, for messages. */
export function describe(o: SynthesizedObject): string {
  const { kind, metadata } = o.object;
  return `${o.environment} ${kind} ${metadata.namespace ? `${metadata.namespace}/` : ''}${metadata.name}`;
}

export { ENVIRONMENTS };
