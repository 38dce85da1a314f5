import { join, resolve as resolvePath } from 'node:path';
import { inspect } from 'node:util';
import { Worker } from 'node:worker_threads';
import { CATALOG_FILE, CatalogError, ENVIRONMENTS, loadCatalog, type Catalog, type EnvironmentName } from '../catalog';
import { synthesizeToFolder, type SynthJob, type SynthReport } from './synth-job';
import { replaceFolder } from './write-output';

/** Where the synth writes, relative to the project root; the Pulumi program compares with it. */
export const DEFAULT_OUT_DIR = 'dist';

export interface SynthOptions {
  /** @default "catalog/platform.yaml" */
  readonly catalog?: string;
  /** @default - CDK8S_OUTDIR when `cdk8s synth` runs us, else DEFAULT_OUT_DIR ("dist") */
  readonly out?: string;
  /**
   * Synthesize each environment in its own worker thread.
   * @default - when the catalog has at least PARALLEL_SYNTH_MIN_SERVICES services
   */
  readonly parallel?: boolean;
}

/** Where messages go; the CLI passes the console, tests collect them. */
export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/**
 * Catalogs at least this large synthesize each environment in its own worker thread. A worker
 * costs about a second to start (tsx, cdk8s-plus); measured with `npm run bench` on 2 cores, the
 * real 18-service catalog is fastest in one thread (0.9 s against 2.5 s) and 1000 services in
 * three workers (about 6 s against 10 s).
 */
export const PARALLEL_SYNTH_MIN_SERVICES = 150;

/**
 * Checks the catalog, synthesizes every environment and replaces the output folder with the
 * result. On any error nothing is written and the result is 1.
 */
export async function runSynth(options: SynthOptions, output: Output = console): Promise<number> {
  const started = performance.now();
  const out = resolvePath(options.out ?? process.env.CDK8S_OUTDIR ?? DEFAULT_OUT_DIR);
  try {
    const catalog = loadCatalog(options.catalog ?? CATALOG_FILE);
    const parallel = options.parallel ?? catalog.document.services.length >= PARALLEL_SYNTH_MIN_SERVICES;
    let reports: SynthReport[] = [];
    await replaceFolder(out, async (staging) => {
      reports = parallel
        ? await allOrFirstError(ENVIRONMENTS.map((environment) => synthesizeInWorker({ catalog, environment, staging })))
        : ENVIRONMENTS.map((environment) => inThread(environment, () => synthesizeToFolder({ catalog, environment, staging })));
    });
    for (const r of reports) {
      output.log(`${r.environment.padEnd(8)} ${String(r.objects).padStart(4)} objects ${String(r.files).padStart(4)} files ${r.milliseconds.toFixed(0).padStart(5)} ms`);
    }
    const files = reports.reduce((n, r) => n + r.files, 0);
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    output.log(`wrote ${files} files to ${out} in ${(performance.now() - started).toFixed(0)} ms (peak memory ${peakMiB.toFixed(0)} MiB)`);
    return 0;
  } catch (error) {
    if (error instanceof CatalogError) {
      output.error(error.message);
      output.error('\nnothing was written; fix the catalog and run `npm run synth` again');
    } else {
      // inspect prints the stack and, for a worker's failure, the stack inside the worker (its cause).
      output.error(`synth failed, nothing was written: ${inspect(error)}`);
    }
    return 1;
  }
}

/** Runs one environment's synth in this thread; a failure names the environment, like a worker's does. */
function inThread<T>(environment: EnvironmentName, synthesize: () => T): T {
  try {
    return synthesize();
  } catch (error) {
    throw new Error(`synth of ${environment} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * Runs synth/synth-worker.ts in a worker thread. The worker registers tsx itself, so this works
 * whether the command runs under tsx, vitest or Pulumi's loader.
 */
function synthesizeInWorker(job: { catalog: Catalog; environment: EnvironmentName; staging: string }): Promise<SynthReport> {
  const entry = join(__dirname, 'synth-worker.ts');
  const source = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: job satisfies SynthJob });
    worker.once('message', resolve);
    // the worker's own error names neither the environment nor the thread it died in.
    worker.once('error', (error) => reject(new Error(`synth of ${job.environment} failed in its worker thread: ${error.message}`, { cause: error })));
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`synth of ${job.environment} stopped with exit code ${code}`))));
  });
}

/** Waits for every worker, so none still writes into a staging folder being removed, then fails on the first error. */
async function allOrFirstError<T>(jobs: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(jobs);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** `--catalog <file>` and `--out <dir>`. */
export function parseSynthArguments(argv: readonly string[]): SynthOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return { catalog: value('--catalog'), out: value('--out') };
}
