/**
 * Gathers everything the status page shows from the workspace (config, evaluation index,
 * published runbooks) and renders it. The page passes in the runbooks it got from Astro's
 * content collection, so heading anchors are the ones the site really has.
 */
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import { clientMatrix } from '../../evidence/client-matrix.ts';
import { probeViews } from '../../evidence/history.ts';
import { PROBE_IDS } from '../../probes/registry.ts';
import { pickPreview, readPreviews } from '../../upgrade/read-preview.ts';
import { siteNow, siteSettings } from '../settings.ts';
import { loadSiteConfig } from '../workspace.ts';
import { openDecisions } from './decisions.ts';
import { outlinePage, type RunbookPage } from './pages.ts';
import { planProgress } from './plan-progress.ts';
import { probeRows } from './probes.ts';
import { regionLinks } from './regions.ts';
import { DASHBOARD_HEADINGS, renderDashboard, type DashboardModel } from './render.ts';
import { topologyGraph } from './topology.ts';

export { DASHBOARD_HEADINGS };

export async function dashboardModel(pages: RunbookPage[], base: string, env: NodeJS.ProcessEnv = process.env): Promise<DashboardModel> {
  const config = await loadSiteConfig(env);
  const settings = siteSettings(config);
  const now = siteNow(env);
  const root = base.endsWith('/') ? base : `${base}/`;
  const outlined = pages.map(outlinePage);
  const views = await probeViews(config.evaluationDir);
  const probes = await probeRows({
    views,
    evaluationDir: config.evaluationDir,
    probeIds: PROBE_IDS,
    maxAgeHours: settings.maxAgeHours,
    historyRuns: settings.historyRuns,
    now,
    base: root,
    regions: regionLinks(outlined, root),
  });
  const clients = clientMatrix(views, config.hosts.map((h) => h.name));
  // Contained and checked like every evidence read: a link or a malformed preview.json fails the build.
  const preview = pickPreview(await readPreviews(config.evaluationDir));
  const topology = topologyGraph({
    clients,
    hosts: config.hosts,
    views,
    staleProbes: new Set(probes.filter((p) => p.stale).map((p) => p.id)),
    configuredServers: gatewayMcp(config).servers,
  });
  return {
    now,
    maxAgeHours: settings.maxAgeHours,
    historyRuns: settings.historyRuns,
    probes,
    topology,
    progress: planProgress(outlined, root),
    decisions: openDecisions(config.plan.decisions, outlined, root),
    clients,
    base: root,
    ...(preview ? { preview } : {}),
  };
}

export async function dashboardHtml(pages: RunbookPage[], base: string): Promise<string> {
  return renderDashboard(await dashboardModel(pages, base));
}
