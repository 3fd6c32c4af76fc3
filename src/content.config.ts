/**
 * Starlight's `docs` collection, filled from the workspace's runbook folders in place
 * (see src/site/runbook-loader.ts) rather than from src/content/docs.
 */
import { docsSchema } from '@astrojs/starlight/schema';
import { defineCollection } from 'astro:content';
import { runbookLoader } from './site/runbook-loader.ts';
import { loadSiteConfig } from './site/workspace.ts';

const workspace = await loadSiteConfig();

export const collections = {
  docs: defineCollection({ loader: runbookLoader({ dirs: workspace.runbooks, evidenceDir: workspace.evaluationDir }), schema: docsSchema() }),
};
