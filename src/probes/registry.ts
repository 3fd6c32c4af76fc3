/** Every probe Proofbook knows, by id, in the order reports list them. */
import { codexConfigProbe } from './codex-config.ts';
import { codexInvokeProbe } from './codex-invoke.ts';
import { codexListProbe } from './codex-list.ts';
import { gatewayAuthProbe } from './gateway-auth.ts';
import { gatewayConfigProbe } from './gateway-config.ts';
import { gatewayHealthProbe } from './gateway-health.ts';
import { mcpCatalogProbe } from './mcp-catalog.ts';
import { mcpInvokeProbe } from './mcp-invoke.ts';
import { claudeConfigProbe, vscodeConfigProbe } from './client-configs.ts';
import { openwebuiConfigProbe } from './openwebui-config.ts';
import { secretsAuditProbe } from './secrets-audit.ts';
import { traefikLabelsProbe } from './traefik-labels.ts';
import { traefikRoutesProbe } from './traefik-routes.ts';
import type { Probe } from './types.ts';

export const PROBES: Probe[] = [
  traefikLabelsProbe,
  traefikRoutesProbe,
  gatewayHealthProbe,
  gatewayAuthProbe,
  gatewayConfigProbe,
  secretsAuditProbe,
  mcpCatalogProbe,
  mcpInvokeProbe,
  codexConfigProbe,
  codexListProbe,
  codexInvokeProbe,
  openwebuiConfigProbe,
  vscodeConfigProbe,
  claudeConfigProbe,
];

export const PROBE_IDS = PROBES.map((p) => p.id);
