/**
 * The gateway's MCP facts (`gateway.mcp`: endpoint path, server names), read in one place.
 *
 * Probes, the lab and the site read them through `gatewayMcp(config)`. Configs written before
 * they moved set them as options of the `mcp.catalog` probe (`probes."mcp.catalog".path` and
 * `.servers`); `moveLegacyMcpOptions` reads those as `gateway.mcp` before validation, so the
 * user's file keeps working as written and the rest of Proofbook sees one normalised place. The
 * loader reports each moved field as a deprecation warning (refresh, verify and init print it once).
 */
import type { GatewayMcp } from './schema.ts';

export type { GatewayMcp };

/** The gateway's MCP endpoint path and servers. */
export function gatewayMcp(config: { gateway: { mcp: GatewayMcp } }): GatewayMcp {
  return config.gateway.mcp;
}

/** The probe whose options held the gateway's MCP facts before `gateway.mcp`, and which of them. */
const LEGACY_PROBE = 'mcp.catalog';
const LEGACY_FIELDS = ['path', 'servers'] as const;

/** A field found at its old place: where the user wrote it and where it is read now. */
export interface MovedField {
  from: string[];
  to: string[];
}

export interface LegacyMove {
  /** The config with the old fields moved (a copy; the input is not changed). */
  data: unknown;
  /** Fields read from their old place. */
  moved: MovedField[];
  /** Fields set in both places: which one counts would be a guess, so the loader refuses. */
  conflicts: MovedField[];
}

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Moves `probes."mcp.catalog".path`/`servers` to `gateway.mcp` in the raw (unvalidated) config. */
export function moveLegacyMcpOptions(data: unknown): LegacyMove {
  const probes = isMapping(data) ? data.probes : undefined;
  const legacy = isMapping(probes) ? probes[LEGACY_PROBE] : undefined;
  if (!isMapping(data) || !isMapping(probes) || !isMapping(legacy)) return { data, moved: [], conflicts: [] };
  const found = LEGACY_FIELDS.filter((field) => field in legacy);
  if (!found.length) return { data, moved: [], conflicts: [] };

  const remaining: Mapping = Object.fromEntries(Object.entries(legacy).filter(([key]) => !found.includes(key as (typeof found)[number])));
  const result: Mapping = { ...data, probes: { ...probes, [LEGACY_PROBE]: remaining } };
  const gateway = data.gateway;
  const mcp = isMapping(gateway) ? (gateway.mcp ?? {}) : undefined;
  // Without a gateway mapping to move them into, the error about `gateway` is the one to show.
  if (!isMapping(gateway) || !isMapping(mcp)) return { data: result, moved: [], conflicts: [] };

  const moved: MovedField[] = [];
  const conflicts: MovedField[] = [];
  const merged: Mapping = { ...mcp };
  for (const field of found) {
    const place = { from: ['probes', LEGACY_PROBE, field], to: ['gateway', 'mcp', field] };
    if (field in mcp) conflicts.push(place);
    else {
      merged[field] = legacy[field];
      moved.push(place);
    }
  }
  result.gateway = { ...gateway, mcp: merged };
  return { data: result, moved, conflicts };
}

/** `fieldPath` (of the normalised config) as the user wrote it, when it was moved. */
export function userFieldPath(fieldPath: string[], moved: MovedField[]): string[] {
  const move = moved.find((m) => m.to.every((key, i) => fieldPath[i] === key));
  return move ? [...move.from, ...fieldPath.slice(move.to.length)] : fieldPath;
}
