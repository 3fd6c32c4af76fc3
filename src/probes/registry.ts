/** Every probe Proofbook knows, by id. */
import { mcpCatalogProbe } from './mcp-catalog.ts';
import type { Probe } from './types.ts';

export const PROBES: Probe[] = [mcpCatalogProbe];

export const PROBE_IDS = PROBES.map((p) => p.id);
