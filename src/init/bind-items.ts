/**
 * `proofbook init`, step 3: binds a plan's existing items to probes by their text.
 *
 * Plan items are the status sites `refresh-docs` already finds (structure.ts): ✅/⚠️ items,
 * GFM checkboxes, `**Status**:` fields and Status table cells, plus the plain items of a plan
 * section ("Phase 2 – …") that have no status yet. Each is matched against the keywords each
 * probe's definition gives (`adopt`); only probe ids that exist in the registry are bound. A
 * client named by the item or by its parent item ("**Codex CLI**" → its sub-items) picks that
 * client's probes.
 *
 * Only the gateway's items are bound: init calls this for documents about the gateway
 * (gateway-names.ts), and items under a heading about another service (`ArangoDB (7 tools)`)
 * are reported, not bound. A model id (`claude-sonnet-4-5`) names no client.
 *
 * The result is a `plan.bindings` entry per item (`match` = the shortest start of the item's
 * own text that no other item of the file contains, `file` = the runbook) and a report of the
 * items that could not be bound and why (no keyword, a decision, no such probe, ambiguous).
 */
import type { ListItem, Nodes, Root } from 'mdast';
import { parseMarkdown } from '../rewrite/regions.ts';
import { analyzeDocument, positionOf, type DocStructure, type Range, type Site } from '../rewrite/structure.ts';
import { PROBE_DEFINITIONS } from '../probes/registry.ts';
import { headingAboutAnotherService, type GatewayTerms } from './gateway-names.ts';
import { MODEL_ID, PLAN_HEADING } from './propose-regions.ts';
import { lastAtOrBefore } from '../formats/positions.ts';

/** Gateway probes by the words of a plan item (`adopt.item`), most specific first; the first rule whose pattern matches wins. */
export const GATEWAY_KEYWORDS: { probe: string; pattern: RegExp; keywords: string }[] = PROBE_DEFINITIONS.flatMap((definition) =>
  definition.adopt?.item ? [{ probe: definition.id, ...definition.adopt.item }] : [],
)
  .sort((a, b) => a.rank - b.rank)
  .map(({ probe, pattern, keywords }) => ({ probe, pattern, keywords }));

/** Clients by how a plan names them (`adopt.client`), in registry order; their probes are those whose `client` they are. */
export const CLIENT_KEYWORDS: { client: string; pattern: RegExp; name: string }[] = [];
/** Registered probe id → its client and the aspect of the client it proves. */
const CLIENT_PROBES = new Map<string, { client: string; aspect?: string }>();
for (const definition of PROBE_DEFINITIONS) {
  if (!definition.client) continue;
  CLIENT_PROBES.set(definition.id, { client: definition.client.id, aspect: definition.adopt?.aspect });
  const mention = definition.adopt?.client;
  if (mention && !CLIENT_KEYWORDS.some((c) => c.client === definition.client!.id)) CLIENT_KEYWORDS.push({ client: definition.client.id, ...mention });
}

/** Which aspect of a client an item is about, by its words; the probe is the client's probe with that `adopt.aspect`. */
export const CLIENT_ASPECTS: { aspect: string; pattern: RegExp }[] = [
  { aspect: 'invocation', pattern: /\binvo(?:ke|cation)\b|tool call|\bexecut/i },
  { aspect: 'listing', pattern: /\blists?\b|\blisting\b|catalog|\btools\b|\bshows? up\b|\bappears?\b|\bvisible\b/i },
  { aspect: 'config', pattern: /config|header|\.env\b|environment|credential|setting|example/i },
];

const CHECKBOX_PREFIX = /^\s*\[[ xX]\]\s+/;
/** A note in parentheses and emphasis at the end of an item's text. */
const TRAILING_NOTE = /\s*([_*])\((?:[^()]|\([^()]*\))*\)\1\s*$/;
const DECISION_TEXT = /^\W*(decide|coordinate|define|agree|approve|choose|get (?:sign-?off|approval))\b/i;
const DECISION_HEADING = /\b(decisions?|outstanding|open questions)\b/i;

export interface BoundItem {
  file: string;
  line: number;
  text: string;
  kind: Site['kind'];
  probes: string[];
  /** The `match` text written to `plan.bindings`. */
  match: string;
  why: string;
}

export interface UnboundItem {
  file: string;
  line: number;
  text: string;
  reason: string;
  /** A decision: suggested for `plan.decisions` instead. */
  decision?: boolean;
  /** A `match` text unique to the item in its file, when one exists. */
  match?: string;
}

export interface ExistingBinding {
  match: string;
  file?: string;
}

export interface BindOptions {
  /** Registered probe ids (PROBE_IDS at runtime). */
  probeIds: string[];
  /** `plan.bindings` and `plan.decisions` already in the config: their items are bound already. */
  existing?: ExistingBinding[];
  /** The document parsed once already: its structure and its tree (of the text without a BOM). */
  parsed?: { structure: DocStructure; tree: Root };
  /** The gateway's names: items under a heading about another service are not its items. */
  gateway?: GatewayTerms;
  /** Items in these ranges are inside a region init adds (a replaced block): generated, not bound. */
  exclude?: Range[];
  /** The line to report for an offset of `text` (default: its line in `text`). */
  lineOf?: (offset: number) => number;
  /** Whether a `match` may be written to the config (e.g. nothing in it the redactor would hide). */
  acceptMatch?: (match: string) => boolean;
}

/** The matching `refresh-docs` does (plan-items.ts): the text as written, or without `*_` marks. */
export function bindingApplies(siteText: string, match: string): boolean {
  return applies(matchForms(siteText), match);
}

/** A site's text in both forms a binding is matched against, computed once per site. */
interface MatchForms {
  written: string;
  unmarked: string;
}
const matchForms = (text: string): MatchForms => {
  const written = text.toLowerCase();
  return { written, unmarked: written.replace(/[`*_]/g, '') };
};
function applies(forms: MatchForms, match: string): boolean {
  const wanted = match.toLowerCase();
  return forms.written.includes(wanted) || forms.unmarked.includes(wanted.replace(/[`*_]/g, ''));
}

interface ItemContext {
  parentText?: string;
  hasChildList: boolean;
}

/** For each list item (by start offset): its parent item's own text, and whether it groups a nested list. */
function listContexts(tree: Root, body: string): Map<number, ItemContext> {
  const raw = (node: Nodes) => body.slice(node.position!.start.offset!, node.position!.end.offset!);
  const contexts = new Map<number, ItemContext>();
  const walk = (node: Nodes, parent?: ListItem) => {
    if (node.type === 'listItem') {
      const first = node.children[0];
      contexts.set(node.position!.start.offset!, {
        parentText: parent?.children[0] ? raw(parent.children[0]) : undefined,
        hasChildList: node.children.some((child) => child.type === 'list'),
      });
      for (const child of node.children) walk(child, first?.type === 'paragraph' ? node : parent);
      return;
    }
    if ('children' in node) for (const child of node.children as Nodes[]) walk(child, parent);
  };
  walk(tree);
  return contexts;
}

/**
 * Text without inline code, link targets and model ids: client names in paths
 * (`projects/claude/…`) and models (`claude-sonnet-4-5`) name no client.
 */
const withoutCode = (markdown: string) => markdown.replace(/`[^`]*`/g, ' ').replace(/\]\([^)]*\)/g, ']').replace(MODEL_ID, ' ');
const plainText = (markdown: string) => markdown.replace(/<!--[\s\S]*?-->/g, '').replace(/\s+/g, ' ').trim();

export function bindItems(text: string, file: string, rel: string, options: BindOptions): { bound: BoundItem[]; unbound: UnboundItem[] } {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const tree = options.parsed?.tree ?? parseMarkdown(text.slice(bom));
  const structure = options.parsed?.structure ?? analyzeDocument(text, file, () => tree);
  const contexts = listContexts(tree, text.slice(bom));
  const bound: BoundItem[] = [];
  const unbound: UnboundItem[] = [];
  const existing = (options.existing ?? []).filter((e) => !e.file || file.endsWith(e.file) || rel.endsWith(e.file));
  const excluded = (at: number) => (options.exclude ?? []).some(([from, to]) => at >= from && at < to);
  const sites = structure.sites.filter((site) => !excluded(site.at));
  const acceptMatch = options.acceptMatch ?? (() => true);
  const texts = new SiteTexts(sites);

  sites.forEach((site) => {
    const context = contexts.get(site.at - bom) ?? { hasChildList: false };
    const chain = headingChain(structure.headings, site.at);
    const heading = chain.at(-1);
    const underPlan = heading !== undefined && PLAN_HEADING.test(heading.text);
    const hasStatus = site.kind !== 'emoji' || site.status[0] !== site.status[1];
    // A plain item is a plan item only inside a plan section, and not when it merely groups sub-items.
    if (!hasStatus && (!underPlan || context.hasChildList)) return;
    if (site.markerProbes?.length) return; // bound inline already
    if (existing.some((e) => texts.applies(site, e.match))) return;

    const line = options.lineOf ? options.lineOf(site.at) : positionOf(text, site.at).line;
    const short = plainText(site.text).replace(CHECKBOX_PREFIX, '').replace(/`|\*\*|__/g, '').slice(0, 100);
    const report = (reason: string, decision?: boolean) => {
      const unique = decision ? uniqueMatch(site, texts, acceptMatch) : undefined;
      const match = unique === SECRET ? undefined : unique;
      unbound.push({ file: rel, line, text: short, reason, ...(decision ? { decision } : {}), ...(match ? { match } : {}) });
    };
    if (!site.text.trim()) return report('the item has no text of its own to match');
    const other = options.gateway && chain.find((h) => headingAboutAnotherService(h.text, options.gateway!));
    if (other) return report(`under "${other.text}", a heading about another service, not the gateway`);
    if (site.kind !== 'field' && site.kind !== 'cell' && (DECISION_TEXT.test(plainText(site.text)) || (heading && DECISION_HEADING.test(heading.text)))) {
      return report('a decision, not something a probe can prove: add it to plan.decisions (state, owner, date, note)', true);
    }

    const found = probesFor(site, context, heading?.text, options.probeIds);
    if ('reason' in found) return report(found.reason);
    const match = uniqueMatch(site, texts, acceptMatch);
    if (match === SECRET) return report(`its text holds what looks like a secret, which init never writes to the config; add an inline marker \`<!-- proof: ${found.probes.join(', ')} -->\` to it instead`);
    if (!match) return report(`its text is also part of another item in this file; add an inline marker \`<!-- proof: ${found.probes.join(', ')} -->\` to it instead`);
    bound.push({ file: rel, line, text: short, kind: site.kind, probes: found.probes, match, why: found.why });
  });
  return { bound, unbound };
}

/** The headings an offset sits under, outermost first (a status heading's own site included). */
function headingChain(headings: DocStructure['headings'], at: number): DocStructure['headings'] {
  const chain: DocStructure['headings'] = [];
  for (const heading of headings) {
    if (heading.at > at) break;
    while (chain.length && chain.at(-1)!.depth >= heading.depth) chain.pop();
    chain.push(heading);
  }
  return chain;
}

function probesFor(site: Site, context: ItemContext, heading: string | undefined, probeIds: string[]): { probes: string[]; why: string } | { reason: string } {
  // What the item claims, without a hand-written citation after it (`_(2025-09-18: list OK; see `…`)_`): its words say nothing of the probe.
  const own = site.text.replace(TRAILING_NOTE, '');
  // Field and cell sites say little themselves ("**Status**:"): their heading is context too.
  const ownWords = site.kind === 'field' ? `${own} ${heading ?? ''}` : own;
  const client =
    CLIENT_KEYWORDS.find((c) => context.parentText && c.pattern.test(withoutCode(context.parentText))) ??
    CLIENT_KEYWORDS.find((c) => c.pattern.test(withoutCode(ownWords)));
  if (client) {
    const probesOf = (clientId: string) => probeIds.filter((id) => CLIENT_PROBES.get(id)?.client === clientId);
    const ids = probesOf(client.client);
    // "VS Code / Claude" names two clients: both clients' probes.
    const also = CLIENT_KEYWORDS.filter((c) => c !== client && context.parentText && c.pattern.test(withoutCode(context.parentText)));
    const allIds = [...new Set([...ids, ...also.flatMap((c) => probesOf(c.client))])];
    if (!allIds.length) return { reason: `names ${client.name}, but no ${client.client}.* probe is registered` };
    const aspects = CLIENT_ASPECTS.filter((a) => a.pattern.test(own));
    const chosen = allIds.filter((id) => aspects.some((a) => a.aspect === CLIENT_PROBES.get(id)?.aspect));
    const where = context.parentText && client.pattern.test(withoutCode(context.parentText)) ? `parent item "${plainText(context.parentText)}"` : 'text';
    return {
      probes: chosen.length ? chosen : allIds,
      why: `${client.name} (${where})${aspects.length && chosen.length ? `, ${aspects.map((a) => a.aspect).join(' + ')}` : ''}`,
    };
  }
  const plain = plainText(ownWords);
  const rule = GATEWAY_KEYWORDS.find((r) => r.pattern.test(plain));
  if (!rule) return { reason: 'no probe keyword in its text' };
  if (!probeIds.includes(rule.probe)) return { reason: `matches ${rule.probe}, which is not registered` };
  const word = rule.pattern.exec(plain)![0];
  return { probes: [rule.probe], why: `"${word}"` };
}

/**
 * The shortest start of the item's text (whole words, first line only, at least ~20 characters)
 * that no other item of the file contains, so the binding applies to this item alone.
 */
const SECRET = Symbol('a secret in the item');

function uniqueMatch(site: Site, texts: SiteTexts, accept: (match: string) => boolean): string | typeof SECRET | undefined {
  // Never the checkbox: `[ ]` becomes `[x]` once the item passes.
  const text = site.text.replace(/<!--[\s\S]*?-->/g, '').replace(CHECKBOX_PREFIX, '');
  const firstLine = text.split(/\r?\n/)[0]!.trimEnd();
  const boundaries = [...firstLine.matchAll(/\s+|$/g)].map((m) => m.index!);
  for (const at of boundaries) {
    const candidate = firstLine.slice(0, at).replace(/[\s.;:,(]+$/, '');
    if (candidate.length < 20 && at < firstLine.length) continue;
    if ([...candidate].length < 3) continue; // the config schema's minimum, in code points
    if ((candidate.match(/`/g) ?? []).length % 2) continue; // never cut inside a code span
    if (!accept(candidate)) return SECRET; // a longer start holds it too
    if (!texts.appliesToAnother(candidate, site)) return candidate;
  }
  return undefined;
}

/**
 * Every site's text of a document in both match forms, joined once, so whether a `match` would
 * also apply to another item is a few `indexOf`s instead of a pass over every site per candidate.
 */
class SiteTexts {
  private readonly written: string;
  private readonly unmarked: string;
  /** Start offset of each site's text in `written` and in `unmarked`. */
  private readonly writtenStarts: number[] = [];
  private readonly unmarkedStarts: number[] = [];
  private readonly index = new Map<Site, number>();

  constructor(sites: Site[]) {
    const written: string[] = [];
    const unmarked: string[] = [];
    let w = 0;
    let u = 0;
    sites.forEach((site, i) => {
      const forms = matchForms(site.text);
      this.index.set(site, i);
      this.writtenStarts.push(w);
      this.unmarkedStarts.push(u);
      written.push(forms.written);
      unmarked.push(forms.unmarked);
      w += forms.written.length + 1;
      u += forms.unmarked.length + 1;
    });
    this.written = written.join('\u0000');
    this.unmarked = unmarked.join('\u0000');
  }

  /** Whether a binding with this `match` applies to a site (as refresh-docs matches). */
  applies(site: Site, match: string): boolean {
    const i = this.index.get(site)!;
    return this.occursIn(this.written, this.writtenStarts, match.toLowerCase(), (j) => j === i) || this.occursIn(this.unmarked, this.unmarkedStarts, match.toLowerCase().replace(/[`*_]/g, ''), (j) => j === i);
  }

  /** Whether a binding with this `match` would also apply to a site other than `site`. */
  appliesToAnother(match: string, site: Site): boolean {
    const i = this.index.get(site)!;
    return this.occursIn(this.written, this.writtenStarts, match.toLowerCase(), (j) => j !== i) || this.occursIn(this.unmarked, this.unmarkedStarts, match.toLowerCase().replace(/[`*_]/g, ''), (j) => j !== i);
  }

  private occursIn(joined: string, starts: number[], wanted: string, inSite: (index: number) => boolean): boolean {
    if (!wanted) return true;
    for (let at = joined.indexOf(wanted); at !== -1; at = joined.indexOf(wanted, at + 1)) {
      // The site whose text holds this occurrence: the last start at or before it.
      if (inSite(lastAtOrBefore(starts, at))) return true;
    }
    return false;
  }
}
