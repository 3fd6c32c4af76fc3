/**
 * Publishes the evidence folder with the site, so the `evidence` links that
 * refresh-docs writes into runbooks keep working there. Evidence is redacted when it
 * is written, so it is copied as is — but only regular files:
 * - a symbolic link (or FIFO, device) anywhere in the folder stops the build: `cp -R` would
 *   publish what it points at (../evidence/contained.ts);
 * - files a browser runs on the site's own origin (HTML, SVG, XML, scripts) are left out
 *   with a warning: evidence is data, and the site's Content-Security-Policy is a meta tag
 *   in its pages, which a served `.html` evidence file would not carry.
 *
 * The copy is made while Astro renders the pages (thousands of files are mostly waiting on the
 * disk, which the rendering does not): into a staging folder beside the output, which the secret
 * scan (./secret-scan.ts) reads meanwhile, then moved into the output in one rename when the
 * build is done — exactly the files that were scanned.
 */
import { rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
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
  // node:child_process, not execa: this module loads with the site's config, where execa's ~110 modules would cost every build.
  const copied = await new Promise<boolean>((resolve) => {
    const child = execFile('cp', ['-R', `${from}/.`, to], (error) => resolve(!error));
    child.stdin?.end();
  });
  if (!copied) await cp(from, to, { recursive: true });
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

/** The evidence as it will be published, staged during the build. */
export interface StagedEvidence {
  /** The staged copy (undefined: there is no evidence folder); rejects with UnsafeEvidenceError. */
  dir: Promise<string | undefined>;
  /** Files left out, relative to the evidence folder. */
  leftOut: Promise<string[]>;
}

/** Hands the staged copy from the evidence integration to the secret scan, which reads it early. */
export class EvidenceStage {
  #staged: StagedEvidence | undefined;

  start(staged: StagedEvidence): void {
    this.#staged = staged;
  }

  /** The staged copy, once the build has started one (undefined when it did not, e.g. `astro dev`). */
  staged(): StagedEvidence | undefined {
    return this.#staged;
  }
}

/** Copies the evidence folder into a fresh folder next to `outDir`: checked, then copied, then pruned. */
export function stageEvidence(evidenceDir: string, outDir: string): StagedEvidence {
  const dir = (async () => {
    if (!existsSync(evidenceDir)) return undefined;
    const unsafe = await unsafeEntries(evidenceDir);
    if (unsafe.length) throw new UnsafeEvidenceError(evidenceDir, unsafe);
    const parent = path.dirname(outDir);
    await mkdir(parent, { recursive: true });
    const staging = await mkdtemp(path.join(parent, `.${path.basename(outDir)}-evidence-`));
    // A build that fails before it is done leaves no copy behind.
    process.once('exit', () => rmSync(staging, { recursive: true, force: true }));
    await copyTree(evidenceDir, path.join(staging, EVIDENCE_SITE_PATH));
    return staging;
  })();
  const leftOut = dir.then(async (staging) => {
    if (!staging) return [];
    const root = path.join(staging, EVIDENCE_SITE_PATH);
    const active = (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && ACTIVE_EVIDENCE.test(e.name));
    for (const entry of active) await rm(path.join(entry.parentPath, entry.name), { force: true });
    return active.map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
  });
  // Whoever awaits them sees the error; until then it is not an unhandled rejection.
  dir.catch(() => undefined);
  leftOut.catch(() => undefined);
  return { dir: leftOut.then(() => dir), leftOut };
}

export function publishEvidence({ evidenceDir, stage = new EvidenceStage() }: { evidenceDir: string; stage?: EvidenceStage }): AstroIntegration {
  return {
    name: 'proofbook-evidence',
    hooks: {
      'astro:config:setup': ({ command, config }) => {
        // Only a build publishes; the copy starts now, beside the rendering.
        if (command === 'build') stage.start(stageEvidence(evidenceDir, fileURLToPath(config.outDir)));
      },
      'astro:build:done': async ({ dir, logger }) => {
        const staged = stage.staged() ?? stageEvidence(evidenceDir, fileURLToPath(dir));
        const staging = await staged.dir;
        if (!staging) return;
        for (const file of await staged.leftOut) {
          logger.warn(`Not published: ${file} (a browser would run it on the site's origin; evidence is published as data only — save it as .txt or .log to publish it)`);
        }
        const out = fileURLToPath(new URL(`${EVIDENCE_SITE_PATH}/`, dir));
        await rm(out, { recursive: true, force: true });
        await rename(path.join(staging, EVIDENCE_SITE_PATH), out);
        await rm(staging, { recursive: true, force: true });
        logger.info(`Copied evidence from ${evidenceDir}`);
      },
    },
  };
}
