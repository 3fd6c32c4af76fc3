/** What bench/site reads from a built site: its HTML pages, their sizes, and where a marker string occurs. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface HtmlPage {
  /** Relative to the output folder, with `/`. */
  file: string;
  bytes: number;
}

export interface SiteFacts {
  pages: HtmlPage[];
  largest: HtmlPage | undefined;
  /** HTML pages holding the marker. */
  withMarker: string[];
}

export async function siteFacts(outDir: string, marker?: string): Promise<SiteFacts> {
  const needle = marker === undefined ? undefined : Buffer.from(marker);
  const pages: HtmlPage[] = [];
  const withMarker: string[] = [];
  for (const entry of await readdir(outDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const full = path.join(entry.parentPath, entry.name);
    const bytes = await readFile(full);
    const file = path.relative(outDir, full).split(path.sep).join('/');
    pages.push({ file, bytes: bytes.length });
    if (needle && bytes.includes(needle)) withMarker.push(file);
  }
  pages.sort((a, b) => b.bytes - a.bytes || a.file.localeCompare(b.file));
  return { pages, largest: pages[0], withMarker };
}

export async function fileSize(file: string): Promise<number | undefined> {
  return (await stat(file).catch(() => undefined))?.size;
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
