import { resolve as resolvePath } from 'node:path';
import { CATALOG_FILE, CatalogError, loadCatalog } from '../catalog';
import { synthesize } from './synth';
import { writeOutput } from './write-output';

export interface SynthOptions {
  /** @default "catalog/platform.yaml" */
  readonly catalog?: string;
  /** @default - CDK8S_OUTDIR when `cdk8s synth` runs us, else "dist" */
  readonly out?: string;
}

/** Where messages go; the CLI passes the console, tests collect them. */
export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/**
 * Checks the catalog, synthesizes every environment and replaces the output folder with the
 * result. On any error nothing is written and the result is 1.
 */
export function runSynth(options: SynthOptions, output: Output = console): number {
  const started = performance.now();
  const out = resolvePath(options.out ?? process.env.CDK8S_OUTDIR ?? 'dist');
  try {
    const outputs = synthesize(loadCatalog(options.catalog ?? CATALOG_FILE));
    const files = new Map(outputs.flatMap((o) => o.files.map((f) => [f.path, f.content] as const)));
    writeOutput(out, files);
    for (const o of outputs) {
      output.log(`${o.environment.padEnd(8)} ${String(o.objects).padStart(4)} objects ${String(o.files.length).padStart(4)} files ${o.milliseconds.toFixed(0).padStart(5)} ms`);
    }
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    output.log(`wrote ${files.size} files to ${out} in ${(performance.now() - started).toFixed(0)} ms (peak memory ${peakMiB.toFixed(0)} MiB)`);
    return 0;
  } catch (error) {
    if (error instanceof CatalogError) {
      output.error(error.message);
      output.error('\nnothing was written; fix the catalog and run `npm run synth` again');
    } else {
      output.error(`synth failed, nothing was written: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    return 1;
  }
}

/** `--catalog <file>` and `--out <dir>`. */
export function parseSynthArguments(argv: readonly string[]): SynthOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return { catalog: value('--catalog'), out: value('--out') };
}
