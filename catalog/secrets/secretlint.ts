import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** One secretlint finding: the 1-based line of the scanned text and what the rule says. */
export interface SecretlintMessage {
  readonly ruleId: string;
  readonly messageId: string;
  readonly message: string;
  readonly line: number;
}

/** How long one scan may take before the loader gives up (the worker loads secretlint once, ~0.3 s). */
const TIMEOUT_MS = 30_000;

let worker: { readonly worker: Worker; readonly port: MessageChannel['port1'] } | undefined;

/**
 * Runs secretlint's recommended preset (`@secretlint/secretlint-rule-preset-recommend`: AWS, GCP,
 * Azure, GitHub, Slack, npm, OpenAI, Anthropic, SendGrid, Shopify, Linear tokens, private keys,
 * basic-auth URLs, database connection strings) over `content` and waits for the answer.
 * secretlint is asynchronous and ESM-only while the catalog loader is synchronous, so the scan runs
 * in one long-lived worker thread (unref'd: it never keeps the process alive) and this thread
 * blocks on `Atomics.wait` until the worker signals.
 */
export function secretlintSync(content: string): SecretlintMessage[] {
  const { worker: thread, port } = (worker ??= start());
  const signal = new Int32Array(new SharedArrayBuffer(4));
  thread.postMessage({ content, signal });
  if (Atomics.wait(signal, 0, 0, TIMEOUT_MS) === 'timed-out') throw new Error(`secret scan: secretlint gave no answer within ${TIMEOUT_MS / 1000} s`);
  const answer = receiveMessageOnPort(port)?.message as { messages?: SecretlintMessage[]; error?: string } | undefined;
  if (!answer || answer.error !== undefined) throw new Error(`secret scan: secretlint failed: ${answer?.error ?? 'no answer'}`);
  return answer.messages ?? [];
}

function start() {
  const { port1, port2 } = new MessageChannel();
  const thread = new Worker(join(__dirname, 'secretlint-worker.mjs'), { workerData: { port: port2 }, transferList: [port2] });
  thread.unref();
  port1.unref();
  return { worker: thread, port: port1 };
}
