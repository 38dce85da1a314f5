import { ENVIRONMENTS, loadCatalog, resolve, type EnvironmentName } from '../catalog';
import { reviewEnvironment } from '../review/environment-review';
import { objectsAtRef } from '../review/manifests';
import type { K8sObject } from '../review/objects';
import { markdownReport, textReport, type EnvironmentReview } from '../review/report';
import { synthesize } from './synth';

export interface DiffOptions {
  /** @default "HEAD" */
  readonly base: string;
  /** @default - every environment */
  readonly environments: readonly EnvironmentName[];
  readonly format: 'text' | 'markdown';
  /** Exit 2 when any environment has a risk finding (information such as an image bump never fails). */
  readonly failOnRisk: boolean;
  /** @default "catalog/platform.yaml" */
  readonly catalog?: string;
}

/** The review of each environment: base objects from git, head objects synthesized in memory. */
export function reviewEnvironments(
  options: Pick<DiffOptions, 'environments' | 'catalog'>,
  baseObjects: (environment: EnvironmentName) => K8sObject[],
): EnvironmentReview[] {
  const catalog = loadCatalog(options.catalog);
  const outputs = synthesize(catalog, options.environments);
  return outputs.map((output) =>
    reviewEnvironment(
      resolve(catalog, output.environment),
      baseObjects(output.environment),
      output.files.flatMap((f) => f.objects),
    ),
  );
}

/** Runs `npm run diff`: prints the report, returns the exit status (0, or 2 with --fail-on risk and a risk). */
export function runDiff(options: DiffOptions, output: { log(text: string): void }, color: boolean): number {
  const reviews = reviewEnvironments(options, (environment) => objectsAtRef(options.base, environment));
  const render = options.format === 'markdown' ? markdownReport : textReport;
  output.log(render(reviews, { base: options.base, color: options.format === 'text' && color }));
  return options.failOnRisk && reviews.some((r) => r.risks.length > 0) ? 2 : 0;
}

/** `--base <ref> --env <env> --format text|markdown --fail-on risk --catalog <file>`; throws on anything else. */
export function parseDiffArguments(argv: readonly string[]): DiffOptions {
  let base = 'HEAD';
  const environments: EnvironmentName[] = [];
  let format: DiffOptions['format'] = 'text';
  let failOnRisk = false;
  let catalog: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`option ${flag} needs a value`);
    i++;
    switch (flag) {
      case '--base':
        base = value;
        break;
      case '--env':
        if (!(ENVIRONMENTS as readonly string[]).includes(value)) throw new Error(`--env "${value}" is not an environment; allowed: ${ENVIRONMENTS.join(', ')}`);
        environments.push(value as EnvironmentName);
        break;
      case '--format':
        if (value !== 'text' && value !== 'markdown') throw new Error(`--format "${value}" is not allowed; allowed: text, markdown`);
        format = value;
        break;
      case '--fail-on':
        if (value !== 'risk') throw new Error(`--fail-on "${value}" is not allowed; allowed: risk`);
        failOnRisk = true;
        break;
      case '--catalog':
        catalog = value;
        break;
      default:
        throw new Error(`unknown option "${flag}"; allowed: --base, --env, --format, --fail-on, --catalog`);
    }
  }
  return { base, environments: environments.length > 0 ? environments : ENVIRONMENTS, format, failOnRisk, catalog };
}
