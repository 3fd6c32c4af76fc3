/**
 * The status of a bound plan item (from its probes' evidence, or from a decision in the
 * config) and the short Markdown phrases that show it in each style a runbook may use.
 */
import type { PhrasingContent } from 'mdast';
import { toMarkdown } from 'mdast-util-to-markdown';
import type { ProbeView } from '../evidence/history.ts';
import { hardenTree } from '../markdown/harden.ts';
import { worstBy } from '../model/status.ts';
import { evidenceHref, type RenderContext } from '../probes/kit/render/status.ts';
import { STATUS_EMOJI_PATTERN } from './structure.ts';

export { STATUS_EMOJI_PATTERN };

export type ItemState = 'pass' | 'warn' | 'fail' | 'pending';

export interface ItemStatus {
  state: ItemState;
  /** YYYY-MM-DD the state began, when known. */
  date?: string;
  /** Why, in a few words (a probe summary or a decision note). */
  reason?: string;
  /** Evidence file relative to the evaluation folder. */
  evidence?: string;
  /** For decisions: who owns it. */
  owner?: string;
  kind: 'probe' | 'decision';
  /** A warn that is the documented, accepted limitation (`known-limitation` evidence). */
  limitation?: boolean;
}

export interface Decision {
  match: string;
  state: 'pending' | 'approved' | 'done' | 'rejected';
  owner?: string;
  date?: string;
  note?: string;
}

/** An item bound to several probes takes the worst status; no evidence at all is pending. */
export function statusFromProbes(probes: string[], views: Map<string, ProbeView>): ItemStatus {
  const found = probes.map((id) => views.get(id));
  if (found.some((v) => !v)) {
    const missing = probes.filter((id) => !views.get(id));
    return { state: 'pending', reason: `no evidence yet for ${missing.join(', ')}`, kind: 'probe' };
  }
  const list = found as ProbeView[];
  const worst = worstBy(list, (view) => view.status)!;
  // The combined state began when the most recent of its probes' states began.
  const since = list.map((v) => v.since).sort().at(-1)!;
  const state: ItemState =
    worst.status === 'pass' ? 'pass' : worst.status === 'warn' || worst.status === 'known-limitation' ? 'warn' : worst.status === 'skip' ? 'pending' : 'fail';
  const reason = worst.status === 'error' ? `probe error: ${worst.summary}` : worst.summary;
  return { state, date: since.slice(0, 10), reason, evidence: worst.evidence, kind: 'probe', ...(worst.status === 'known-limitation' ? { limitation: true } : {}) };
}

export function statusFromDecision(decision: Decision): ItemStatus {
  const state: ItemState = decision.state === 'rejected' ? 'fail' : decision.state === 'pending' ? 'pending' : 'pass';
  return { state, date: decision.date, reason: decision.note, owner: decision.owner, kind: 'decision' };
}

export const STATE_EMOJI: Record<ItemState, string> = { pass: '✅', warn: '⚠️', fail: '❌', pending: '⚠️' };

/** Which state an existing emoji shows; undefined when none. */
export function stateOfEmoji(text: string): ItemState | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('✅') || trimmed.startsWith('✔')) return 'pass';
  if (trimmed.startsWith('❌') || trimmed.startsWith('✖') || trimmed.startsWith('💥')) return 'fail';
  if (trimmed.startsWith('⚠')) return 'warn';
  return undefined;
}


/**
 * Phrases already serialised, by their nodes: a workspace's items share a handful of statuses,
 * and serialising is most of a cold refresh's cost after parsing. Bounded; cleared when full.
 */
const phrased = new Map<string, string>();
const MAX_PHRASES = 10_000;

function phrasing(nodes: PhrasingContent[]): string {
  const key = JSON.stringify(nodes);
  const known = phrased.get(key);
  if (known !== undefined) return known;
  // Serialise inline content alone: escapes exactly what Markdown needs, nothing more.
  // Reasons come from probe summaries (gateway error texts): hardened like a region's content.
  // The only html node is the author's kept word (fieldPhrase), already in the document.
  const markdown = toMarkdown({ type: 'paragraph', children: hardenTree(nodes, { keepAuthorsHtml: true }) }, { emphasis: '_', strong: '*' }).trimEnd();
  if (phrased.size >= MAX_PHRASES) phrased.clear();
  phrased.set(key, markdown);
  return markdown;
}

function evidenceNodes(status: ItemStatus, context: RenderContext): PhrasingContent[] {
  if (!status.evidence) return [];
  return [{ type: 'link', url: evidenceHref(context, status.evidence), children: [{ type: 'text', value: 'evidence' }] }];
}

/**
 * The emoji style of the seed plan:
 * `✅ Completed 2025-09-18 ([evidence](…))`, `⚠️ Pending: <why>`, `❌ Failed: <reason> (since …, [evidence](…))`.
 */
export function emojiPhrase(status: ItemStatus, context: RenderContext): string {
  const evidence = evidenceNodes(status, context);
  const tail = (date?: string): PhrasingContent[] => {
    const parts: PhrasingContent[] = [];
    if (date || evidence.length) parts.push({ type: 'text', value: ' (' });
    if (date) parts.push({ type: 'text', value: date });
    if (date && evidence.length) parts.push({ type: 'text', value: ', ' });
    parts.push(...evidence);
    if (date || evidence.length) parts.push({ type: 'text', value: ')' });
    return parts;
  };
  if (status.kind === 'decision') {
    const who = status.owner ? ` (owner: ${status.owner})` : '';
    const note = status.reason ? `: ${status.reason}` : '';
    const word = status.state === 'pass' ? 'Decided' : status.state === 'fail' ? 'Rejected' : 'Pending';
    const since = status.date ? ` since ${status.date}` : '';
    const date = status.state === 'pending' ? since : status.date ? ` ${status.date}` : '';
    return phrasing([{ type: 'text', value: `${STATE_EMOJI[status.state]} ${word}${date}${who}${note}` }]);
  }
  switch (status.state) {
    case 'pass': {
      const link: PhrasingContent[] = evidence.length ? [{ type: 'text', value: ' (' }, ...evidence, { type: 'text', value: ')' }] : [];
      return phrasing([{ type: 'text', value: `✅ Completed${status.date ? ` ${status.date}` : ''}` }, ...link]);
    }
    case 'warn':
      return phrasing([{ type: 'text', value: `⚠️ ${status.limitation ? 'Known limitation' : 'Warning'}: ${status.reason ?? ''}` }, ...tail(status.date)]);
    case 'fail':
      return phrasing([{ type: 'text', value: `❌ Failed: ${status.reason ?? ''}` }, ...tail(status.date)]);
    default:
      return phrasing([{ type: 'text', value: `⚠️ Pending${status.reason ? `: ${status.reason}` : ''}` }, ...tail(status.date)]);
  }
}

/** The trailing italic note of a checkbox item: `_(2025-09-18: <reason>; see [evidence](…))_`. */
export function notePhrase(status: ItemStatus, context: RenderContext): string {
  const words: string[] = [];
  if (status.date) words.push(`${status.date}: `);
  if (status.kind === 'decision') {
    words.push(status.state === 'pass' ? 'decided' : status.state === 'fail' ? 'rejected' : 'pending');
    if (status.owner) words.push(`, owner: ${status.owner}`);
    if (status.reason) words.push(`; ${status.reason}`);
  } else {
    words.push(status.reason ?? status.state);
  }
  const evidence = evidenceNodes(status, context);
  const children: PhrasingContent[] = [
    { type: 'text', value: `(${words.join('')}${evidence.length ? '; see ' : ''}` },
    ...evidence,
    { type: 'text', value: ')' },
  ];
  return phrasing([{ type: 'emphasis', children }]);
}

const DEFAULT_WORD: Record<ItemState, string> = { pass: 'VERIFIED', warn: 'WARNING', fail: 'FAILING', pending: 'PENDING' };

/**
 * A status field value or a table Status cell: `✅ RUNNING (2025-09-18, [evidence](…))`.
 * The hand-written word (RUNNING, Working…) is kept while the state is unchanged.
 */
export function fieldPhrase(status: ItemStatus, previous: string, context: RenderContext): string {
  const before = stripOurTail(previous.trim());
  const keepWord = stateOfEmoji(before) === (status.state === 'pending' ? 'warn' : status.state);
  const word = keepWord ? before.replace(STATUS_EMOJI_PATTERN, '').replace(/^\uFE0F/, '').trim() || DEFAULT_WORD[status.state] : DEFAULT_WORD[status.state];
  const evidence = evidenceNodes(status, context);
  // The kept word is the author's Markdown (e.g. `db: Not connected` in code): copied verbatim,
  // never escaped — escaping it would change it on every refresh.
  const parts: PhrasingContent[] = [{ type: 'html', value: `${STATE_EMOJI[status.state]} ${word}` }];
  if (status.date || evidence.length) {
    parts.push({ type: 'text', value: ` (${status.date ?? ''}${status.date && evidence.length ? ', ' : ''}` }, ...evidence, {
      type: 'text',
      value: ')',
    });
  }
  return phrasing(parts);
}

/**
 * The leading mark of an item that starts with its status (`✅ DONE Read/write …`): the state's
 * emoji, and a status word only where the author wrote one — kept while the state is unchanged.
 */
export function leadMark(status: ItemStatus, previous: string): string {
  const word = previous.replace(STATUS_EMOJI_PATTERN, '').replace(/^\uFE0F/, '').trim();
  const emoji = STATE_EMOJI[status.state];
  if (!word) return emoji;
  const unchanged = stateOfEmoji(previous) === (status.state === 'pending' ? 'warn' : status.state);
  return `${emoji} ${unchanged ? word : DEFAULT_WORD[status.state]}`;
}

/** Drops a `(date, [evidence](…))` tail that an earlier refresh wrote, so the word is found again. */
function stripOurTail(text: string): string {
  return text.replace(/\s*\((?:\d{4}-\d{2}-\d{2})?(?:,\s*)?(?:\[evidence\]\([^)]*\))?\)\s*$/, '');
}
