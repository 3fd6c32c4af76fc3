/**
 * Evidence blocks built on a worker thread (./block-worker.ts) while the build's thread renders
 * the pages: during `astro build` the page's visit only puts a placeholder where a block goes
 * (./deferred.ts) and hands the block here; reading and hashing the files and writing the blocks'
 * HTML happen on the other core, and the pass over the generated pages puts them in.
 *
 * The HTML is hast-util-to-html's serialisation of the same hast the page's own visit would have
 * inserted (./build-block.ts); tests/unit/site/evidence-worker.test.ts holds the two to the same
 * bytes.
 */
import { Worker } from 'node:worker_threads';
import type { BlockRequest, BlockSource } from './build-block.ts';

/** A block to build: the request, the key its placeholder carries, and the runbook it is for (named in errors). */
export interface BlockJob extends BlockRequest {
  key: number;
  page: string;
}

export type ToWorker = { type: 'build'; source: BlockSource; jobs: BlockJob[] } | { type: 'settle' };
export type FromWorker =
  | { type: 'built'; blocks: [key: number, html: string][] }
  | { type: 'failed'; job: BlockJob; message: string }
  | { type: 'settled' };

export class WorkerBlocks {
  readonly #built: Map<number, string>;
  #worker: Worker | undefined;
  #queued: BlockJob[] = [];
  #source: BlockSource | undefined;
  #failures: string[] = [];
  #crash: Error | undefined;
  #settled: (() => void) | undefined;

  /** `built` receives each block's HTML by its key as the worker answers. */
  constructor(built: Map<number, string>) {
    this.#built = built;
  }

  /** Queues a block; the jobs of one page go to the worker together. */
  add(job: BlockJob, source: BlockSource): void {
    if (this.#source && !sameSource(this.#source, source)) this.#send(); // one source per message
    this.#source = source;
    if (!this.#queued.length) setImmediate(() => this.#send());
    this.#queued.push(job);
  }

  /** Resolves once every block added so far is built, then stops the worker; rejects naming the blocks that failed. */
  async settle(): Promise<void> {
    this.#send();
    const worker = this.#worker;
    if (!worker) return;
    try {
      if (!this.#crash) {
        // Held open while the page pass waits for it: with nothing else pending, Node would exit first.
        worker.ref();
        await new Promise<void>((resolve, reject) => {
          this.#settled = resolve;
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`the evidence block worker stopped (exit code ${code}) before it built every block`)));
          worker.postMessage({ type: 'settle' } satisfies ToWorker);
        }).catch((error: unknown) => {
          this.#crash ??= error instanceof Error ? error : new Error(String(error));
        });
      }
    } finally {
      this.#worker = undefined;
      await worker.terminate();
    }
    if (this.#crash) throw new Error(`Evidence blocks could not be built: ${this.#crash.message}. Build again; report it if it persists.`);
    if (this.#failures.length) {
      const shown = this.#failures.slice(0, 10).join('\n');
      throw new Error(`${this.#failures.length} evidence block(s) could not be built:\n${shown}${this.#failures.length > 10 ? '\n…' : ''}`);
    }
  }

  #send(): void {
    if (!this.#queued.length || !this.#source) return;
    const jobs = this.#queued;
    this.#queued = [];
    this.#start().postMessage({ type: 'build', source: this.#source, jobs } satisfies ToWorker);
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./block-worker.ts', import.meta.url));
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'built') for (const [key, html] of message.blocks) this.#built.set(key, html);
      else if (message.type === 'failed') this.#failures.push(`${message.job.page}: ${message.job.relative}: ${message.message}`);
      else this.#settled?.();
    });
    worker.on('error', (error) => {
      this.#crash ??= error;
    });
    worker.unref(); // a build that fails elsewhere exits without waiting for it
    this.#worker = worker;
    return worker;
  }
}

function sameSource(a: BlockSource, b: BlockSource): boolean {
  return a.evidenceDir === b.evidenceDir && a.base === b.base && a.limits.maxBytes === b.limits.maxBytes && a.limits.maxLines === b.limits.maxLines;
}
