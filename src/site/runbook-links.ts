/**
 * Makes relative links in runbooks work on the site. `../claude/CLAUDE.md` and
 * `MCP-INTEGRATION-STATUS.md#tool-catalog` point at files, which is right on GitHub
 * and in editors; the site rewrites them to the pages built from those files, and
 * links into the evidence folder to the copy published under `evidence/`.
 *
 * Registered as a hast plugin of Astro's default Markdown processor (Sätteri), the
 * same way Starlight registers its own.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVIDENCE_SITE_PATH } from './evidence.ts';
import { pathInside } from '../fs/paths.ts';
import { runbookId } from './slugs.ts';

export interface LinkTargets {
  /** Absolute runbook folders (the config's `runbooks`). */
  runbookDirs: readonly string[];
  /** Absolute evidence folder (the config's `evaluationDir`), published by ./evidence.ts. */
  evidenceDir?: string;
  /** Astro's `base`. */
  base: string;
}

/** The site URL for `href` written in runbook `fromFile`, or undefined to leave the link alone. */
export function siteHref(href: string, fromFile: string, { runbookDirs, evidenceDir, base }: LinkTargets): string | undefined {
  // Only relative links: URLs with a scheme, site-absolute paths and same-page anchors are already right.
  if (!href || href.startsWith('/') || href.startsWith('#') || URL.canParse(href)) return undefined;
  const [, target = '', hash = ''] = /^([^?#]*)(?:\?[^#]*)?(#.*)?$/.exec(href) ?? [];
  let decoded: string;
  try {
    decoded = decodeURI(target);
  } catch {
    return undefined; // a bare `%`: not a link Proofbook can resolve; the link check reports it
  }
  const file = path.resolve(path.dirname(fromFile), decoded);
  const root = base.endsWith('/') ? base : `${base}/`;
  const id = runbookId(runbookDirs, file);
  if (id) return id === 'index' ? `${root}${hash}` : `${root}${id}/${hash}`;
  const evidence = evidenceDir && pathInside(evidenceDir, file);
  if (evidence) {
    return `${root}${EVIDENCE_SITE_PATH}/${evidence.split(path.sep).map(encodeURIComponent).join('/')}${hash}`;
  }
  return undefined;
}

/** The hast plugin: a factory, so it only runs on files inside the runbook folders. */
export function runbookLinksPlugin(targets: LinkTargets) {
  return ({ fileURL }: { fileURL: URL | undefined }) => {
    const fromFile = fileURL && fileURLToPath(fileURL);
    if (!fromFile || !runbookId(targets.runbookDirs, fromFile)) return undefined;
    return {
      name: 'proofbook-runbook-links',
      element: {
        filter: ['a'],
        visit(
          node: { properties?: Record<string, unknown> },
          ctx: { setProperty(node: unknown, key: string, value: unknown): void },
        ) {
          const href = node.properties?.href;
          const next = typeof href === 'string' ? siteHref(href, fromFile, targets) : undefined;
          if (next) ctx.setProperty(node, 'href', next);
        },
      },
    };
  };
}
