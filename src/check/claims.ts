/**
 * Success claims in a runbook — ✅ / ✔, a ticked `[x]` box, "Completed", "Verified" — with
 * where they are and what, if anything, backs them: the probes an item is bound to (by an
 * inline `<!-- proof: id -->` marker or a config binding), or a config decision.
 *
 * In a plan item, status field or Status table cell, the status decides: an item whose status
 * starts with ⚠️ or ❌ claims nothing, whatever words follow; one with no status yet claims
 * success when its text says "Completed" or "Verified". Generated regions are never claims
 * (they are rewritten from the evidence). With `elsewhere`, success marks in other text —
 * paragraphs, headings, tables without a Status column — are claims too (always unbound).
 */
import type { Text } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Decision } from '../rewrite/item-status.ts';
import { bindingFor, type Binding } from '../rewrite/plan-items.ts';
import { findRegionsInTree, parseMarkdown } from '../rewrite/regions.ts';
import { analyzeDocument, positionOf, type DocStructure, type Site } from '../rewrite/structure.ts';
import { STATUS_EMOJI_PATTERN } from '../rewrite/status-phrases.ts';

/** The words that claim success (as a status word: capitalised or upper case, not after "not"). */
export const CLAIM_WORD = /(?<!\b(?:not|Not|NOT|never|Never)\s+)\b(?:Completed|COMPLETED|Verified|VERIFIED)\b/;
/** The emoji that claim success. */
export const SUCCESS_EMOJI = /✅|✔️|✔/u;

export interface Claim {
  /** Absolute path of the runbook. */
  file: string;
  line: number;
  /** The line the claim is on, trimmed (at most 160 characters). */
  text: string;
  /** What makes it a claim: `✅`, `✔`, `[x]`, `Completed`, `Verified`, … as written. */
  mark: string;
  /** A plan item's status (`emoji`), a `checkbox`, a status `field`, a Status table `cell`, or other `text`. */
  kind: Site['kind'] | 'text';
  /** How it is bound: an inline marker, a config binding, a config decision; undefined when unbound. */
  boundBy?: 'marker' | 'config' | 'decision';
  /** Probe ids whose evidence decides it (empty when unbound or decided by a decision). */
  probes: string[];
}

export interface FindClaimsOptions {
  bindings: Binding[];
  decisions: Decision[];
  knownProbes: string[];
  /** The document's structure when it is known (the rewrite's cache); analysed otherwise. */
  structure?: DocStructure;
  /** Also success marks outside plan items, status fields and Status cells (for `--report`). */
  elsewhere?: boolean;
}

/** Every success claim of one document, in document order. */
export function findClaims(text: string, file: string, options: FindClaimsOptions): Claim[] {
  // Cheap exit: most documents of a large workspace claim nothing.
  if (!SUCCESS_EMOJI.test(text) && !CLAIM_WORD.test(text) && !/\[[xX]\]/.test(text)) return [];
  const structure = options.structure ?? analyzeDocument(text, file);
  const lines = text.split(/\r?\n/);
  const lineText = (line: number) => {
    const value = (lines[line - 1] ?? '').trim();
    return value.length > 160 ? `${value.slice(0, 159)}…` : value;
  };
  const claims: Claim[] = [];
  const covered = new Set<number>();

  for (const site of structure.sites) {
    const first = positionOf(text, site.at).line;
    const last = positionOf(text, Math.max(site.at, site.status[1])).line;
    for (let line = first; line <= last; line++) covered.add(line);
    const found = siteClaim(site, text);
    if (!found) continue;
    const binding = bindingFor(site, text, { file, bindings: options.bindings, decisions: options.decisions, knownProbes: options.knownProbes });
    const line = positionOf(text, found.at).line;
    claims.push({
      file,
      line,
      text: lineText(line),
      mark: found.mark,
      kind: site.kind,
      ...(binding ? { boundBy: binding.decision ? ('decision' as const) : site.markerProbes?.length ? ('marker' as const) : ('config' as const) } : {}),
      probes: binding?.probes ?? [],
    });
  }

  if (options.elsewhere) {
    const bom = structure.bom;
    const body = text.slice(bom);
    const tree = parseMarkdown(body);
    const regions = findRegionsInTree(tree, file).map((r) => [r.markerStart, r.contentEnd] as const);
    visit(tree, 'text', (node: Text, _index, parent) => {
      // Text around a GFM autolink literal (a bare URL) is made without a position: use the parent's.
      const position = node.position ?? parent?.position;
      if (!position) return;
      const start = position.start.offset!;
      if (regions.some(([a, b]) => start >= a && start <= b)) return;
      for (const pattern of [SUCCESS_EMOJI, CLAIM_WORD]) {
        const match = pattern.exec(node.value);
        if (!match) continue;
        // Text node values equal the source except for escapes and entities: find the mark in the source.
        const source = body.slice(start, position.end.offset!);
        const at = start + Math.max(0, source.indexOf(match[0]));
        const line = positionOf(body, at).line;
        if (covered.has(line)) continue;
        covered.add(line);
        claims.push({ file, line, text: lineText(line), mark: match[0], kind: 'text', probes: [] });
      }
    });
    claims.sort((a, b) => a.line - b.line);
  }
  return claims;
}

/** The success mark of a plan item / field / cell and its offset, or undefined when it claims nothing. */
function siteClaim(site: Site, text: string): { mark: string; at: number } | undefined {
  if (site.kind === 'lead') {
    const mark = site.mark ? STATUS_EMOJI_PATTERN.exec(text.slice(site.mark[0], site.mark[1])) : null;
    return mark && SUCCESS_EMOJI.test(mark[0]) ? { mark: mark[0], at: site.mark![0] } : undefined;
  }
  if (site.kind === 'checkbox') {
    if (site.box && text.slice(site.box[0], site.box[1]).toLowerCase() === 'x') return { mark: '[x]', at: site.box[0] };
    return undefined;
  }
  const [from, to] = site.status;
  if (from < to) {
    const status = text.slice(from, to);
    const emoji = STATUS_EMOJI_PATTERN.exec(status);
    const lead = /^\s*/.exec(status)![0].length;
    // A status that starts with an emoji says what it says; words after ⚠️ or ❌ are a reason, not a claim.
    if (emoji && emoji.index === lead) return SUCCESS_EMOJI.test(emoji[0]) ? { mark: emoji[0], at: from + emoji.index } : undefined;
    const word = CLAIM_WORD.exec(status);
    return word ? { mark: word[0], at: from + word.index } : undefined;
  }
  // No status yet: the item's own words.
  const own = text.slice(site.at, from);
  const word = CLAIM_WORD.exec(own.replace(/<!--[\s\S]*?-->/g, (c) => ' '.repeat(c.length)));
  return word ? { mark: word[0], at: site.at + word.index } : undefined;
}
