import type { Catalog, EnvironmentName } from '../catalog';
import { synthesizeEnvironment } from './synth';
import { writeFiles } from './write-output';

/** One environment to synthesize: the checked catalog, the environment, the folder to write to. */
export interface SynthJob {
  readonly catalog: Catalog;
  readonly environment: EnvironmentName;
  readonly staging: string;
}

/** What a job reports: counts and timing, not the files (they are on disk already). */
export interface SynthReport {
  readonly environment: EnvironmentName;
  readonly objects: number;
  readonly files: number;
  readonly milliseconds: number;
}

/** Synthesizes one environment and writes its files under `job.staging`. */
export function synthesizeToFolder(job: SynthJob): SynthReport {
  const output = synthesizeEnvironment(job.catalog, job.environment);
  writeFiles(job.staging, output.files.map((f) => [f.path, f.content] as const));
  return { environment: output.environment, objects: output.objects, files: output.files.length, milliseconds: output.milliseconds };
}
