import { parentPort, workerData } from 'node:worker_threads';
import { synthesizeToFolder, type SynthJob } from './synth-job';

// a worker thread's entry (synth/synth-command.ts): one environment, written to its own folder.
parentPort!.postMessage(synthesizeToFolder(workerData as SynthJob));
