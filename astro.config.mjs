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
import { EvidenceStage, publishEvidence } from './src/site/evidence.ts';
import { STATUS_SIDEBAR_ITEM, statusDashboard } from './src/site/dashboard/integration.ts';
import { runbookDigests } from './src/site/digest-plugin.ts';
import { runbookElements } from './src/site/runbook-elements.ts';
import { secretScan } from './src/site/secret-scan.ts';
import { siteCsp } from './src/site/csp.ts';
import { deferredEvidence } from './src/site/evidence/deferred.ts';
import { pagePass } from './src/site/page-pass.ts';
import { siteSettings } from './src/site/settings.ts';
import { projectSidebar } from './src/site/sidebar.ts';
import { loadSiteConfig, siteOutDir } from './src/site/workspace.ts';

const workspace = await loadSiteConfig();
const settings = siteSettings(workspace);
// The evidence is copied and scanned for secrets while the pages render (see src/site/evidence.ts).
const evidenceStage = new EvidenceStage();

export default defineConfig({
  site: process.env.PROOFBOOK_SITE_URL || undefined,
  outDir: siteOutDir(),
  // The site's static files (favicon) sit with the rest of the site stage.
  publicDir: './src/site/public',
  // Defence in depth for runbooks from any PR: every page carries a Content-Security-Policy
  // with the hashes of the scripts Astro and Starlight ship, so a script the site did not
  // ship (raw HTML in a runbook, say) does not run. See src/site/csp.ts.
  security: { csp: siteCsp() },
  integrations: [
    starlight({
      title: 'Proofbook',
      description: 'Runbooks that prove themselves.',
      // Heading anchors and asides also for runbooks outside src/content/docs.
      markdown: { processedDirs: workspace.runbooks },
      sidebar: [STATUS_SIDEBAR_ITEM, ...(await projectSidebar(workspace.runbooks))],
      customCss: ['./src/site/styles/proofbook.css'],
    }),
    // Evidence blocks and relative links made site links, in one visit of each element.
    runbookElements({ runbookDirs: workspace.runbooks, evidenceDir: workspace.evaluationDir, limits: settings.evidence }),
    // The links, headings, plan items and regions of each runbook, from the parse that renders it.
    runbookDigests({ runbookDirs: workspace.runbooks }),
    publishEvidence({ evidenceDir: workspace.evaluationDir, stage: evidenceStage }),
    statusDashboard(),
    // Evidence blocks stay out of the content store; the page pass puts them back (both build only).
    deferredEvidence(),
    pagePass(),
    // Last: it checks everything the integrations above wrote.
    secretScan({ secretsFiles: workspace.secretsFiles, keyEnvVar: workspace.gateway.keyEnvVar, stage: evidenceStage }),
  ],
});
