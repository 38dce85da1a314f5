import { parseSynthArguments, runSynth } from './synth-command';

// `npm run synth [-- --catalog <file>] [--out <dir>]`, and `cdk8s synth` through cdk8s.yaml.
void runSynth(parseSynthArguments(process.argv.slice(2))).then((status) => {
  process.exitCode = status;
});
