/**
 * Starlight's `docs` collection, filled from the workspace's runbook folders in place
 * (see src/site/runbook-loader.ts) rather than from src/content/docs.
 */
import { docsSchema } from '@astrojs/starlight/schema';
import { defineCollection } from 'astro:content';

// Node loads the loader and its ~100 modules itself, as it loads astro.config.mjs's. Astro runs
// this file through Vite's module runner, which would put each of them through every plugin of the
// build, and the build would then bundle them into the pages' chunks: about a second of a 17 s
// build on 200 runbooks (bench:site), for modules that need nothing from Vite. The runner rewrites
// every import() it sees; the one inside a Function it does not see.
const importWithNode = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
const { runbookLoader } = (await importWithNode(new URL('./site/runbook-loader.ts', import.meta.url).href)) as typeof import('./site/runbook-loader.ts');
const { loadSiteConfig } = (await importWithNode(new URL('./site/workspace.ts', import.meta.url).href)) as typeof import('./site/workspace.ts');

const workspace = await loadSiteConfig();

export const collections = {
  docs: defineCollection({ loader: runbookLoader({ dirs: workspace.runbooks, evidenceDir: workspace.evaluationDir }), schema: docsSchema() }),
};
