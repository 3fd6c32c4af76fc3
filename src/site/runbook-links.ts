/**
 * Makes links between runbooks work on the site: `../claude/CLAUDE.md` and
 * `MCP-INTEGRATION-STATUS.md#tool-catalog` point at files, which is right on GitHub
 * and in editors, so the site rewrites them to the pages built from those files.
 *
 * Registered as a hast plugin of Astro's default Markdown processor (Sätteri), the
 * same way Starlight registers its own.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { runbookId } from './slugs.ts';

/** The site URL for `href` written in runbook `fromFile`, or undefined to leave the link alone. */
export function siteHref(href: string, fromFile: string, runbookDirs: readonly string[], base: string): string | undefined {
  // Only relative links: URLs with a scheme, site-absolute paths and same-page anchors are already right.
  if (!href || href.startsWith('/') || href.startsWith('#') || URL.canParse(href)) return undefined;
  const [, target = '', hash = ''] = /^([^?#]*)(?:\?[^#]*)?(#.*)?$/.exec(href) ?? [];
  const id = runbookId(runbookDirs, path.resolve(path.dirname(fromFile), decodeURI(target)));
  if (!id) return undefined;
  const slash = base.endsWith('/') ? base : `${base}/`;
  return id === 'index' ? `${slash}${hash}` : `${slash}${id}/${hash}`;
}

/** The hast plugin: a factory, so it only runs on files inside the runbook folders. */
export function runbookLinksPlugin(runbookDirs: readonly string[], base: string) {
  return ({ fileURL }: { fileURL: URL | undefined }) => {
    const fromFile = fileURL && fileURLToPath(fileURL);
    if (!fromFile || !runbookId(runbookDirs, fromFile)) return undefined;
    return {
      name: 'proofbook-runbook-links',
      element: {
        filter: ['a'],
        visit(
          node: { properties?: Record<string, unknown> },
          ctx: { setProperty(node: unknown, key: string, value: unknown): void },
        ) {
          const href = node.properties?.href;
          const next = typeof href === 'string' ? siteHref(href, fromFile, runbookDirs, base) : undefined;
          if (next) ctx.setProperty(node, 'href', next);
        },
      },
    };
  };
}

/** Astro integration that adds the plugin to the configured Markdown processor. */
export function runbookLinks({ dirs }: { dirs: readonly string[] }): AstroIntegration {
  return {
    name: 'proofbook-runbook-links',
    hooks: {
      'astro:config:setup': ({ config, logger }) => {
        const processor = config.markdown.processor as { name: string; options: { hastPlugins?: unknown[] } };
        if (processor.name !== 'satteri' || !processor.options.hastPlugins) {
          logger.warn(`Markdown processor "${processor.name}" is not supported: links between runbooks will point at .md files.`);
          return;
        }
        processor.options.hastPlugins.push(runbookLinksPlugin(dirs, config.base));
      },
    },
  };
}
