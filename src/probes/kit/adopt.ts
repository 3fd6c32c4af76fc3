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

export interface RegionKind {
  /** The section's heading names the topic. */
  heading: RegExp;
  /** The section's text confirms it (for an empty region, where no data block does). */
  body: RegExp;
  /** A top-level block of the section that the generated region supersedes. */
  isData(block: RootContent, text: string): boolean;
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

/** The items of a plain list (no checkbox, no status emoji): data, not plan items. */
export function plainListItems(list: List, text: string): string[] | undefined {
  if (list.children.some((item) => item.checked === true || item.checked === false)) return undefined;
  const items = list.children.map((item) => text.slice(item.position!.start.offset!, item.position!.end.offset!));
  if (items.some((item) => /✅|⚠|❌/u.test(item))) return undefined;
  return items;
}
