/** Every probe Proofbook knows, by id. */
import { gatewayConfigProbe } from './gateway-config.ts';
import { mcpCatalogProbe } from './mcp-catalog.ts';
import { secretsAuditProbe } from './secrets-audit.ts';
import { traefikLabelsProbe } from './traefik-labels.ts';
import type { Probe } from './types.ts';

export const PROBES: Probe[] = [traefikLabelsProbe, gatewayConfigProbe, secretsAuditProbe, mcpCatalogProbe];

export const PROBE_IDS = PROBES.map((p) => p.id);
