// @ts-check
/**
 * The Proofbook site: Starlight over the runbooks of one workspace.
 *
 * PROOFBOOK_CONFIG picks the workspace (default: ./proofbook.config.yaml) and
 * PROOFBOOK_SITE_OUT the output folder (default: ./dist); see src/site/workspace.ts.
 * PROOFBOOK_SITE_URL, when set, is the deployed URL (canonical links and sitemap).
 */
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { publishEvidence } from './src/site/evidence.ts';
import { runbookLinks } from './src/site/runbook-links.ts';
import { projectSidebar } from './src/site/sidebar.ts';
import { loadSiteConfig, siteOutDir } from './src/site/workspace.ts';

const workspace = await loadSiteConfig();

export default defineConfig({
  site: process.env.PROOFBOOK_SITE_URL || undefined,
  outDir: siteOutDir(),
  // The site's static files (favicon) sit with the rest of the site stage.
  publicDir: './src/site/public',
  integrations: [
    starlight({
      title: 'Proofbook',
      description: 'Runbooks that prove themselves.',
      // Heading anchors and asides also for runbooks outside src/content/docs.
      markdown: { processedDirs: workspace.runbooks },
      sidebar: await projectSidebar(workspace.runbooks),
    }),
    runbookLinks({ runbookDirs: workspace.runbooks, evidenceDir: workspace.evaluationDir }),
    publishEvidence({ evidenceDir: workspace.evaluationDir }),
  ],
});
