/**
 * One pass over the generated HTML pages, as soon as Astro has written them (before the search
 * index and the secret scan read them): each page is read once, run through every rewrite in
 * turn, and written back only when it changed.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

export type PageRewrite = (html: string) => string;

export function rewritePages(rewrites: readonly PageRewrite[]): AstroIntegration {
  return {
    name: 'proofbook-page-rewrites',
    hooks: {
      'astro:build:generated': async ({ dir }) => {
        const out = fileURLToPath(dir);
        const pages = (await readdir(out, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.html'));
        for (const page of pages) {
          const file = path.join(page.parentPath, page.name);
          const html = await readFile(file, 'utf8');
          const next = rewrites.reduce((text, rewrite) => rewrite(text), html);
          if (next !== html) await writeFile(file, next);
        }
      },
    },
  };
}
