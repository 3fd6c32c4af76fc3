/**
 * The worker thread of ./worker-blocks.ts: builds the blocks it is sent (./build-block.ts) and
 * answers with their HTML, a page's worth at a time. A file that cannot be read fails its block
 * alone, answered as data with the runbook that cited it.
 */
import { parentPort } from 'node:worker_threads';
import { toHtml } from 'hast-util-to-html';
import { pageBlock } from './build-block.ts';
import type { RunMeta } from './meta.ts';
import type { FromWorker, ToWorker } from './worker-blocks.ts';

/** Files read at once: a page can cite hundreds, a build thousands. */
const READS_AT_ONCE = 16;

/** Each file's run, from its first block: a repeat's first block came in the same message or an earlier one, and started first. */
const runs = new Map<string, Promise<RunMeta>>();
let running = 0;
const waiting: (() => void)[] = [];
let outstanding = Promise.resolve();

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= READS_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'settle') {
    void outstanding.then(() => parentPort!.postMessage({ type: 'settled' } satisfies FromWorker));
    return;
  }
  const { source, jobs } = message;
  const batch = Promise.all(
    jobs.map((job) =>
      limited(() => pageBlock(job, source, runs).then((block) => toHtml(block))).then(
        (html): [number, string] => [job.key, html],
        (error: unknown) => {
          parentPort!.postMessage({ type: 'failed', job, message: error instanceof Error ? error.message : String(error) } satisfies FromWorker);
          return undefined;
        },
      ),
    ),
  ).then((results) => {
    parentPort!.postMessage({ type: 'built', blocks: results.filter((r) => r !== undefined) } satisfies FromWorker);
  });
  outstanding = Promise.all([outstanding, batch]).then(() => undefined);
});
