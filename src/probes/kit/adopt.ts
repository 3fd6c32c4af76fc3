/**
 * How `proofbook init` recognises a probe in hand-written runbooks, written on the probe's own
 * definition (`adopt`) so init derives its tables from the registry: the words of a plan item
 * that name the probe, how a plan names a client, and which runbook sections should get the
 * probe's region. Also the small mdast readers those region kinds share.
 * Light: regular expressions, mdast types and mdast-util-to-string; no probe code.
 */
import type { List, RootContent, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { ClientMatrixCell } from '../types.ts';

export interface ProbeAdoption {
  /** A gateway probe: the words of a plan item about it. */
  item?: ItemKeywords;
  /** A client probe: how a plan names its client (in the item or in its parent item). */
  client?: ClientMention;
  /**
   * A client probe: the aspect of its client it proves. An item that names the client and asks
   * about this aspect (init's aspect words) binds to this probe rather than to all the client's.
   */
  aspect?: ClientMatrixCell['aspect'];
  /** Runbook sections that should get the probe's region (`<!-- proofbook:start <id> -->`). */
  region?: RegionKind;
}

export interface ItemKeywords {
  /** Tested on the item's plain text. */
  pattern: RegExp;
  /** The same words for people. */
  keywords: string;
  /**
   * Probes are tried in ascending rank; the first whose pattern matches wins, so specific words
   * (Traefik labels, a tool call) rank before broad ones (auth, health).
   */
  rank: number;
}

export interface ClientMention {
  pattern: RegExp;
  /** As a plan calls the client, for init's report (e.g. `Codex`). */
  name: string;
}

/**
 * What init knows of the configured gateway (from LiteLLM's config, the compose file and the
 * workspace config), so a region kind can tell the gateway's own data from another service's: a
 * tool list that names no configured server is not the gateway's catalog.
 */
export interface GatewayNames {
  /** MCP server names (`gateway.mcp.servers`, LiteLLM's `mcp_servers`). */
  servers: string[];
  /** Hostnames the gateway is served on. */
  hosts: string[];
  /** File names of its secrets files (`litellm.env`). */
  secretsFiles: string[];
  /** Its compose service and router names (`litellm`, `litellm-lan`). */
  services: string[];
}

export interface RegionKind {
  /** The section's heading names the topic. */
  heading: RegExp;
  /** The section's text confirms it (for an empty region, where no data block does). */
  body: RegExp;
  /** A top-level block of the section that the generated region supersedes: it must be this kind's data *of this gateway*. */
  isData(block: RootContent, text: string, gateway: GatewayNames): boolean;
  /** Kinds claim sections in ascending rank (init's own `clients.matrix` kind among them). */
  rank: number;
}

/** A table's header cells, trimmed and lower-cased. */
export const headerCells = (table: Table): string[] => (table.children[0]?.children ?? []).map((cell) => toString(cell).trim().toLowerCase());

/** The first cell of every body row. */
export const firstColumn = (table: Table): string[] => table.children.slice(1).map((row) => (row.children[0] ? toString(row.children[0]) : ''));

/** How many values match (a global pattern is used without its `g` state). */
export const countMatches = (values: string[], pattern: RegExp): number =>
  values.filter((v) => new RegExp(pattern.source, pattern.flags.replace('g', '')).test(v)).length;

/** Whether the text names any of the names (case-insensitively, as a whole word or path part). */
export function namesAny(text: string, names: string[]): boolean {
  const lower = text.toLowerCase();
  return names.some((name) => {
    if (!name) return false;
    const wanted = name.toLowerCase();
    for (let at = lower.indexOf(wanted); at !== -1; at = lower.indexOf(wanted, at + 1)) {
      const before = lower[at - 1] ?? ' ';
      const after = lower[at + wanted.length] ?? ' ';
      if (!/[\p{L}\p{N}_]/u.test(before) && !/[\p{L}\p{N}_]/u.test(after)) return true;
    }
    return false;
  });
}

/** The items of a plain list (no checkbox, no status emoji): data, not plan items. */
export function plainListItems(list: List, text: string): string[] | undefined {
  if (list.children.some((item) => item.checked === true || item.checked === false)) return undefined;
  const items = list.children.map((item) => text.slice(item.position!.start.offset!, item.position!.end.offset!));
  if (items.some((item) => /✅|⚠|❌/u.test(item))) return undefined;
  return items;
}
