/**
 * Digests each runbook from the tree Astro's Markdown processor (satteri) parses to render it,
 * so the site needs no Markdown parse of its own: on a large site a second, JavaScript remark
 * parse of every runbook cost more than rendering it.
 *
 * An mdast plugin whose `after` hook reads the finished tree (with positions) and records the
 * digest under the file; the content loader picks it up right after `renderMarkdown`.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { Root } from 'mdast';
import { digestTree, type RunbookDigest } from './runbook-digest.ts';
import { runbookId } from './slugs.ts';

type TreeDigest = Omit<RunbookDigest, 'title'>;

const STORE_KEY = Symbol.for('proofbook.site.renderedDigests');
const rendered = ((globalThis as Record<symbol, unknown>)[STORE_KEY] ??= new Map()) as Map<string, TreeDigest>;

/** The digest recorded when `file` was last rendered, taken out of the store. */
export function takeRenderedDigest(file: string): TreeDigest | undefined {
  const digest = rendered.get(file);
  rendered.delete(file);
  return digest;
}

/** The satteri mdast plugin, as a factory: it only runs on files inside the runbook folders. */
export function digestPlugin(runbookDirs: readonly string[]) {
  return ({ fileURL, source }: { fileURL: URL | undefined; source: string }) => {
    const file = fileURL && fileURLToPath(fileURL);
    if (!file || !runbookId(runbookDirs, file)) return undefined;
    return {
      name: 'proofbook-digest',
      options: { position: true },
      after(root: Readonly<Root>) {
        rendered.set(file, digestTree(root as Root, file, source));
      },
    };
  };
}

/** Astro integration that adds the plugin to the configured Markdown processor. */
export function runbookDigests({ runbookDirs }: { runbookDirs: readonly string[] }): AstroIntegration {
  return {
    name: 'proofbook-runbook-digests',
    hooks: {
      'astro:config:setup': ({ config, logger }) => {
        const processor = config.markdown.processor as { name: string; options: { mdastPlugins?: unknown[] } };
        if (processor.name !== 'satteri' || !processor.options.mdastPlugins) {
          // The loader then parses each runbook itself: same digests, slower builds.
          logger.warn(`Markdown processor "${processor.name}" is not supported: runbooks are parsed a second time for the dashboard.`);
          return;
        }
        processor.options.mdastPlugins.push(digestPlugin(runbookDirs));
      },
    },
  };
}
