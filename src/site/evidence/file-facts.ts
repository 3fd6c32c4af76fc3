/**
 * What the site shows about one evidence file: size, sha256, line count and its first
 * bytes. The file is streamed once, so a 20 MB log costs one pass and a bounded buffer,
 * never a 20 MB string; results are cached per file version for the whole build.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';

export interface FileFacts {
  size: number;
  sha256: string;
  /** Lines in the file (a last line without "\n" counts). */
  lines: number;
  /** The first `headBytes` bytes (or the whole file when smaller). */
  head: Buffer;
  /** A NUL byte in the head: not text, never inlined. */
  binary: boolean;
}

const cache = new Map<string, Promise<FileFacts>>();

export async function fileFacts(file: string, headBytes: number): Promise<FileFacts> {
  // A synchronous stat: one system call, where the promise form costs a round trip through the
  // thread pool for each of the thousands of blocks of a big site, on the thread that renders.
  const info = statSync(file);
  const key = `${file}\0${info.size}\0${info.mtimeMs}\0${headBytes}`;
  let facts = cache.get(key);
  if (!facts) {
    facts = readFacts(file, headBytes);
    cache.set(key, facts);
    facts.catch(() => cache.delete(key));
  }
  return facts;
}

async function readFacts(file: string, headBytes: number): Promise<FileFacts> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  let newlines = 0;
  let last = -1;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) newlines++;
    last = chunk[chunk.length - 1]!;
    if (headLength < headBytes) {
      const part = chunk.subarray(0, headBytes - headLength);
      head.push(part);
      headLength += part.length;
    }
  }
  const headBuffer = Buffer.concat(head);
  return {
    size,
    sha256: hash.digest('hex'),
    lines: newlines + (size > 0 && last !== 10 ? 1 : 0),
    head: headBuffer,
    binary: headBuffer.subarray(0, 8192).includes(0),
  };
}
