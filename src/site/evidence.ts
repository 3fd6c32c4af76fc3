/**
 * Publishes the evidence folder with the site, so the `evidence` links that
 * refresh-docs writes into runbooks keep working there. Evidence is redacted when it
 * is written, so it is copied as is — but only regular files:
 * - a symbolic link (or FIFO, device) anywhere in the folder stops the build: `cp -R` would
 *   publish what it points at (../evidence/contained.ts);
 * - files a browser runs on the site's own origin (HTML, SVG, XML, scripts) are left out
 *   with a warning: evidence is data, and the site's Content-Security-Policy is a meta tag
 *   in its pages, which a served `.html` evidence file would not carry.
 */
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { describeContainment, fixContainment, unsafeEntries } from '../evidence/contained.ts';

/** Where evidence files appear on the site, below `base`. */
export const EVIDENCE_SITE_PATH = 'evidence';

/**
 * `cp -R`, which copies thousands of small files over ten times faster than Node's `fs.cp`
 * (one stat and copy after another, in JavaScript); `fs.cp` where there is no `cp`.
 */
async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  const result = await execa('cp', ['-R', `${from}/.`, to], { reject: false, stdin: 'ignore' });
  if (result.failed) await cp(from, to, { recursive: true });
}

/** Extensions a browser renders as a document or runs: never served from the site's origin. */
export const ACTIVE_EVIDENCE = /\.(?:html?|xhtml|shtml|svgz?|xml|xsl|xslt|js|mjs|cjs|wasm|swf|pdf)$/i;

export class UnsafeEvidenceError extends Error {
  constructor(evidenceDir: string, problems: Awaited<ReturnType<typeof unsafeEntries>>) {
    const lines = problems.map((p) => `  ${describeContainment(p)} — ${fixContainment(p)}`);
    super(`Evidence in ${evidenceDir} not published: the folder holds links or special files.\n${lines.join('\n')}\nRun \`npm run verify\` to list them again.`);
    this.name = 'UnsafeEvidenceError';
  }
}

export function publishEvidence({ evidenceDir }: { evidenceDir: string }): AstroIntegration {
  return {
    name: 'proofbook-evidence',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        if (!existsSync(evidenceDir)) return;
        const unsafe = await unsafeEntries(evidenceDir);
        if (unsafe.length) throw new UnsafeEvidenceError(evidenceDir, unsafe);
        const out = fileURLToPath(new URL(`${EVIDENCE_SITE_PATH}/`, dir));
        await copyTree(evidenceDir, out);
        const active = (await readdir(out, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && ACTIVE_EVIDENCE.test(e.name));
        for (const entry of active) {
          const file = path.join(entry.parentPath, entry.name);
          await rm(file, { force: true });
          logger.warn(`Not published: ${path.relative(out, file)} (a browser would run it on the site's origin; evidence is published as data only — save it as .txt or .log to publish it)`);
        }
        logger.info(`Copied evidence from ${evidenceDir}`);
      },
    },
  };
}
