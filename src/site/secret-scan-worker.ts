/**
 * The worker thread of scanInWorker (./secret-scan-files.ts): one scan of one folder, answered
 * with its leaks and the files it read. An error is sent back as data, so the build reports the
 * scan's own message (a missing folder, say) rather than a worker crash.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanForSecrets, type WorkerAnswer, type WorkerScan } from './secret-scan-files.ts';

const { dir, secrets, skip, seen: seenBefore } = workerData as WorkerScan;
const seen = new Map(seenBefore);
let answer: WorkerAnswer;
try {
  const leaks = await scanForSecrets(dir, secrets, { skip, seen });
  answer = { leaks, seen: [...seen] };
} catch (error) {
  const { message, code, stack } = error as NodeJS.ErrnoException;
  answer = { error: { message: String(message ?? error), ...(code ? { code } : {}), ...(stack ? { stack } : {}) } };
}
parentPort!.postMessage(answer);
