import { CatalogError } from '../catalog';
import { parseDiffArguments, runDiff } from './diff-command';

// `npm run diff -- [--base <git-ref>] [--env prod] [--format markdown] [--fail-on risk]`
try {
  process.exitCode = runDiff(parseDiffArguments(process.argv.slice(2)), console, process.stdout.isTTY === true);
} catch (error) {
  console.error(error instanceof CatalogError ? error.message : `diff failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
