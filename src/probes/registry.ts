/**
 * Every probe Proofbook knows, in the order reports list them: the only list. Definitions are
 * light (./define.ts); a probe's code is imported when it is about to run (`loadProbes`).
 */
import { definition as claudeConfig } from './claude-config/index.ts';
import { definition as claudeInvoke } from './claude-invoke/index.ts';
import { definition as claudeList } from './claude-list/index.ts';
import { definition as codexConfig } from './codex-config/index.ts';
import { definition as codexInvoke } from './codex-invoke/index.ts';
import { definition as codexList } from './codex-list/index.ts';
import { definition as gatewayAuth } from './gateway-auth/index.ts';
import { definition as gatewayConfig } from './gateway-config/index.ts';
import { definition as gatewayHealth } from './gateway-health/index.ts';
import { definition as mcpCatalog } from './mcp-catalog/index.ts';
import { definition as mcpInvoke } from './mcp-invoke/index.ts';
import { definition as openwebuiConfig } from './openwebui-config/index.ts';
import { definition as openwebuiInvoke } from './openwebui-invoke/index.ts';
import { definition as openwebuiList } from './openwebui-list/index.ts';
import { definition as secretsAudit } from './secrets-audit/index.ts';
import { definition as traefikLabels } from './traefik-labels/index.ts';
import { definition as traefikRoutes } from './traefik-routes/index.ts';
import { definition as vscodeConfig } from './vscode-config/index.ts';
import { definition as vscodeInvoke } from './vscode-invoke/index.ts';
import { definition as vscodeList } from './vscode-list/index.ts';
import { loadProbe } from './define.ts';
import type { Probe } from './types.ts';

export const PROBE_DEFINITIONS = [
  traefikLabels,
  traefikRoutes,
  gatewayHealth,
  gatewayAuth,
  gatewayConfig,
  secretsAudit,
  mcpCatalog,
  mcpInvoke,
  codexConfig,
  codexList,
  codexInvoke,
  openwebuiConfig,
  openwebuiList,
  openwebuiInvoke,
  vscodeConfig,
  vscodeList,
  vscodeInvoke,
  claudeConfig,
  claudeList,
  claudeInvoke,
] as const;

export type ProbeId = (typeof PROBE_DEFINITIONS)[number]['id'];

export const PROBE_IDS: string[] = PROBE_DEFINITIONS.map((definition) => definition.id);

/** The code of the probes with these ids (all when none are given), in report order. */
export function loadProbes(ids?: readonly string[]): Promise<Probe[]> {
  const wanted = ids ? PROBE_DEFINITIONS.filter((definition) => ids.includes(definition.id)) : PROBE_DEFINITIONS;
  return Promise.all(wanted.map((definition) => loadProbe(definition)));
}
