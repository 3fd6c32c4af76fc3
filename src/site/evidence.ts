/**
 * Publishes the evidence folder with the site, so the `evidence` links that
 * refresh-docs writes into runbooks keep working there. Evidence is redacted when it
 * is written, so it is copied as is.
 */
import { cp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

/** Where evidence files appear on the site, below `base`. */
export const EVIDENCE_SITE_PATH = 'evidence';

export function publishEvidence({ evidenceDir }: { evidenceDir: string }): AstroIntegration {
  return {
    name: 'proofbook-evidence',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        if (!existsSync(evidenceDir)) return;
        await cp(evidenceDir, fileURLToPath(new URL(`${EVIDENCE_SITE_PATH}/`, dir)), { recursive: true });
        logger.info(`Copied evidence from ${evidenceDir}`);
      },
    },
  };
}
