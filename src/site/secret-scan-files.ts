/**
 * The file scan under the site's secret check (./secret-scan.ts): every file of a folder searched
 * for each known value in every form SecretMatcher knows, streamed in overlapping windows. Kept
 * apart from the Astro integration so a worker thread (./secret-scan-worker.ts) loads only this.
 */
import { createReadStream, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { Worker } from 'node:worker_threads';
import { SecretMatcher } from '../secrets/forms.ts';

export interface KnownSecret {
  value: string;
  /** What to call it in an error: `LITELLM_MASTER_KEY (secrets/litellm.env:1)`. */
  name: string;
}

export interface SecretLeak {
  /** Output file, relative to the output folder. */
  file: string;
  /** The secret's name; '' for a link (nothing can be said of what it points at). */
  secret: string;
  /** How the value was written; `link` for a symbolic link or special file in the output. */
  form: string;
}

export interface ScanOptions {
  /** A top folder of `dir` (e.g. `evidence`) already scanned where it was staged. */
  skip?: string;
  /**
   * Files already scanned, by path relative to `dir` → their version (size, times, inode): such a
   * file is not read again unless it changed since. Every file this scan reads is added.
   */
  seen?: Map<string, string>;
}

export async function scanForSecrets(dir: string, secrets: readonly KnownSecret[], { skip, seen }: ScanOptions = {}): Promise<SecretLeak[]> {
  const matcher = new SecretMatcher(secrets.map((secret) => ({ value: secret.value, label: secret.name })));
  const leaks: SecretLeak[] = [];
  const skipped = skip === undefined ? undefined : path.join(dir, skip);
  const entries = await listTree(dir);
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    if (skipped && (file === skipped || file.startsWith(`${skipped}${path.sep}`))) continue;
    const relative = path.relative(dir, file).split(path.sep).join('/');
    // Exactly what will be served: a link would be served as its target, which this scan cannot vouch for.
    if (entry.isSymbolicLink() || (!entry.isFile() && !entry.isDirectory())) {
      leaks.push({ file: relative, secret: '', form: 'link' });
      continue;
    }
    if (!entry.isFile() || !matcher.size) continue;
    try {
      if (seen) {
        const info = await stat(file, { bigint: true });
        const version = `${info.size}:${info.mtimeNs}:${info.ctimeNs}:${info.ino}`;
        if (seen.get(relative) === version) continue;
        seen.set(relative, version);
      }
      for (const leak of await scanFile(file, matcher)) leaks.push({ file: relative, ...leak });
    } catch (error) {
      if (!gone(error)) throw error; // removed while scanned (Astro's own temporary files): it will not be served
    }
  }
  return leaks;
}

const gone = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOENT';

/**
 * Every entry below `dir`. Astro removes its temporary folders (`.prerender/`) while the build's
 * last hooks run: a folder that vanishes during the listing makes it start again (what is gone
 * is not served); the folder itself missing is an error.
 */
async function listTree(dir: string, attempts = 5): Promise<Dirent[]> {
  try {
    return await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if (!gone(error) || attempts <= 1 || (error as NodeJS.ErrnoException).path === dir) throw error;
    return listTree(dir, attempts - 1);
  }
}

async function scanFile(file: string, matcher: SecretMatcher): Promise<{ secret: string; form: string }[]> {
  const found = new Map<string, { secret: string; form: string }>();
  // Windows overlap by the longest span a match can take, so a value split across two reads is
  // still found; a match is kept once per secret and form.
  const decoder = new StringDecoder('utf8');
  let carry = '';
  const search = (window: string) => {
    for (const match of matcher.find(window)) found.set(`${match.label}\0${match.form}`, { secret: match.label, form: match.form });
  };
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    const window = carry + decoder.write(chunk);
    search(window);
    carry = window.slice(Math.max(0, window.length - matcher.maxSpan));
  }
  const rest = decoder.end();
  if (rest) search(carry + rest);
  return [...found.values()];
}

/** What ./secret-scan-worker.ts gets, and what it answers. */
export interface WorkerScan {
  dir: string;
  secrets: KnownSecret[];
  skip?: string;
  seen: [string, string][];
}
export type WorkerAnswer = { leaks: SecretLeak[]; seen: [string, string][] } | { error: { message: string; code?: string; stack?: string } };

/**
 * scanForSecrets on a worker thread. The build's own thread is busy rendering pages (Astro's
 * rendering, Markdown and bundling run there, one core); the scan, reading and decoding every
 * file, runs on the other core meanwhile. Same scan, same result: the files it read are added
 * to `seen` when it answers.
 */
export function scanInWorker(dir: string, secrets: readonly KnownSecret[], { skip, seen }: ScanOptions = {}): Promise<SecretLeak[]> {
  const task: WorkerScan = { dir, secrets: [...secrets], ...(skip === undefined ? {} : { skip }), seen: [...(seen ?? [])] };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./secret-scan-worker.ts', import.meta.url), { workerData: task });
    let answered = false;
    worker.once('message', (answer: WorkerAnswer) => {
      answered = true;
      if ('error' in answer) {
        reject(Object.assign(new Error(answer.error.message), answer.error));
        return;
      }
      for (const [file, version] of answer.seen) seen?.set(file, version);
      resolve(answer.leaks);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`The secret scan of ${dir} stopped without an answer (worker exit code ${code}); build again, and report it if it persists.`));
    });
  });
}
