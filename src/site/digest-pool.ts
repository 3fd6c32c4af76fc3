/**
 * Digests runbooks in worker threads while the main thread renders pages: the remark parse
 * behind a digest is the site build's biggest cost of Proofbook's own, and it need not wait.
 *
 * As many workers as the machine has cores (at most 4): while they parse, the main thread mostly
 * waits for them (rendering a page is much cheaper than parsing it with remark).
 * PROOFBOOK_SITE_WORKERS=0, or a worker that cannot start, digests on the main thread instead:
 * same results, just slower.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { digestRunbook, type DigestInput, type RunbookDigest } from './runbook-digest.ts';

type Reply = { id: number; digest: RunbookDigest } | { id: number; error: string };

export interface DigestPool {
  digest(input: DigestInput): Promise<RunbookDigest>;
  /** Stops the workers (callers close the pool in a `finally`: a live worker keeps the process running). */
  close(): Promise<void>;
}

export function defaultPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env.PROOFBOOK_SITE_WORKERS;
  if (configured !== undefined && /^\d+$/.test(configured)) return Number(configured);
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

export function createDigestPool(size = defaultPoolSize()): DigestPool {
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < size; i++) workers.push(new Worker(new URL('./digest-worker.ts', import.meta.url)));
  } catch {
    for (const worker of workers) void worker.terminate();
    workers.length = 0;
  }
  if (!workers.length) return { digest: async (input) => digestRunbook(input), close: async () => {} };

  const pending = new Map<number, { resolve: (d: RunbookDigest) => void; reject: (e: Error) => void; input: DigestInput }>();
  let nextId = 0;
  let failed = false;
  const onReply = (reply: Reply) => {
    const job = pending.get(reply.id);
    if (!job) return;
    pending.delete(reply.id);
    if ('digest' in reply) job.resolve(reply.digest);
    else job.reject(new Error(`${job.input.file}: ${reply.error}`));
  };
  // A worker that dies (or cannot load its module) leaves its jobs to the main thread.
  const onFailure = () => {
    failed = true;
    for (const [id, job] of pending) {
      pending.delete(id);
      try {
        job.resolve(digestRunbook(job.input));
      } catch (error) {
        job.reject(error as Error);
      }
    }
  };
  for (const worker of workers) {
    worker.on('message', onReply);
    worker.on('error', onFailure);
  }
  return {
    digest(input) {
      if (failed) return Promise.resolve().then(() => digestRunbook(input));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, input });
        workers[id % workers.length]!.postMessage({ id, input });
      });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
