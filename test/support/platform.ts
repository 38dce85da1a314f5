import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { ENVIRONMENTS, type EnvironmentName } from '../../catalog';
import type { EnvironmentOutput } from '../../synth/synth';
import { PLATFORM_FILE } from './global-setup';

/** A synthesized object with where it was written. */
export interface SynthesizedObject {
  readonly environment: EnvironmentName;
  /** Path under dist/, e.g. `prod/services/xiaoai-service.yaml`. */
  readonly file: string;
  readonly object: Record<string, any>;
}

let cached: readonly EnvironmentOutput[] | undefined;

/**
 * Every environment of the real catalog, as the run's global set-up synthesized it
 * (test/support/global-setup.ts). Frozen: test files share it within a worker, so a test that
 * changes an object must change a copy (`structuredClone`).
 */
export function realPlatform(): readonly EnvironmentOutput[] {
  cached ??= deepFreeze<readonly EnvironmentOutput[]>(JSON.parse(readFileSync(join(inject('runFolder'), PLATFORM_FILE), 'utf8')));
  return cached;
}

/** Every file of every environment of the real catalog, path under dist/ → content. */
export function platformFiles(): Map<string, string> {
  return new Map(realPlatform().flatMap((o) => o.files.map((f) => [f.path, f.content] as const)));
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

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export { ENVIRONMENTS };
