// Runs secretlint (its recommended rule preset, in-process, no network) for catalog/secrets/scan.ts,
// which waits for the answer synchronously: the catalog loader is synchronous and secretlint's
// lintSource is asynchronous. Plain ESM because @secretlint/* ship ESM only.
// Protocol: a message { id, lines, signal } → the answer posted on `port`, then signal[0] = 1.
import { parentPort, workerData } from 'node:worker_threads';
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';

const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] };
const { port } = workerData;

parentPort.on('message', async ({ content, signal }) => {
  let answer;
  try {
    const result = await lintSource({
      source: { filePath: 'catalog-values.txt', content, ext: '.txt', contentType: 'text' },
      options: { config, noPhysicFilePath: true, maskSecrets: true },
    });
    answer = { messages: result.messages.map((m) => ({ ruleId: m.ruleId, messageId: m.messageId, message: m.message, line: m.loc.start.line })) };
  } catch (error) {
    answer = { error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
