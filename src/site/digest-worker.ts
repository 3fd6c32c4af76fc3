/** Worker thread of ./digest-pool.ts: digests the runbooks it is sent, one message each. */
import { parentPort } from 'node:worker_threads';
import { digestRunbook, type DigestInput } from './runbook-digest.ts';

parentPort!.on('message', (message: { id: number; input: DigestInput }) => {
  try {
    parentPort!.postMessage({ id: message.id, digest: digestRunbook(message.input) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
