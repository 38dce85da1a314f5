import { resolve as resolvePath } from 'node:path';
import { CATALOG_FILE, CatalogError, loadCatalog } from '../catalog';
import { synthesize } from './synth';
import { writeOutput } from './write-output';

/**
 * `npm run synth [-- --catalog <file>] [--out <dir>]`: checks the catalog, synthesizes every
 * environment and replaces dist/ with the result. `cdk8s synth` runs this too (cdk8s.yaml) and
 * passes its output folder in CDK8S_OUTDIR. On any error nothing is written and the exit status is 1.
 */
function main(argv: readonly string[]): number {
  const started = performance.now();
  const options = parseArguments(argv);
  try {
    const catalog = loadCatalog(options.catalog);
    const outputs = synthesize(catalog);
    const files = new Map(outputs.flatMap((o) => o.files.map((f) => [f.path, f.content] as const)));
    writeOutput(options.out, files);
    for (const o of outputs) {
      console.log(`${o.environment.padEnd(8)} ${String(o.objects).padStart(4)} objects ${String(o.files.length).padStart(4)} files ${o.milliseconds.toFixed(0).padStart(5)} ms`);
    }
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    console.log(`wrote ${files.size} files to ${options.out} in ${(performance.now() - started).toFixed(0)} ms (peak memory ${peakMiB.toFixed(0)} MiB)`);
    return 0;
  } catch (error) {
    if (error instanceof CatalogError) {
      console.error(error.message);
      console.error(`\nnothing was written; fix the catalog and run \`npm run synth\` again`);
      return 1;
    }
    console.error(`synth failed, nothing was written: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return 1;
  }
}

function parseArguments(argv: readonly string[]): { catalog: string; out: string } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    catalog: value('--catalog') ?? CATALOG_FILE,
    out: resolvePath(value('--out') ?? process.env.CDK8S_OUTDIR ?? 'dist'),
  };
}

process.exitCode = main(process.argv.slice(2));
