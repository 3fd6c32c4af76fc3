/**
 * The short Markdown phrases that show a plan item's status, in each style a runbook may use
 * (emoji, checkbox note, status field, table cell, leading mark): how they are written and how a
 * phrase Proofbook wrote is recognised again (structure.ts asks `isOurNote`/`isOurEmojiPhrase`).
 * Both sides are built from the words and tails below, so a change to a phrase changes both
 * (tests/unit/rewrite/status-phrases.test.ts round-trips every status in every style).
 */
import type { PhrasingContent } from 'mdast';
import { toMarkdown } from 'mdast-util-to-markdown';
import { hardenTree } from '../markdown/harden.ts';
import { evidenceHref, type RenderContext } from '../probes/kit/render/status.ts';
import type { ItemState, ItemStatus } from './item-status.ts';

export const STATUS_EMOJI_PATTERN = /✅|❌|⚠️|⚠|💥|✔️|✔|✖️|✖/u;

/** The reason of an item whose probes have no evidence yet (`no evidence yet for a, b`). */
export const NO_EVIDENCE_YET = 'no evidence yet for';

/** The words emojiPhrase writes after the emoji; a decision's words, lower-cased, start its note. */
const WORD = {
  pass: 'Completed',
  warn: 'Warning',
  limitation: 'Known limitation',
  fail: 'Failed',
  pending: 'Pending',
} as const;
const DECISION_WORD: Record<ItemState, string> = { pass: 'Decided', fail: 'Rejected', warn: 'Pending', pending: 'Pending' };

/** The link to a status's evidence, as every phrase words it. */
const EVIDENCE_WORD = 'evidence';

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
  return [{ type: 'link', url: evidenceHref(context, status.evidence), children: [{ type: 'text', value: EVIDENCE_WORD }] }];
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
    const word = DECISION_WORD[status.state];
    const since = status.date ? ` since ${status.date}` : '';
    const date = status.state === 'pending' ? since : status.date ? ` ${status.date}` : '';
    return phrasing([{ type: 'text', value: `${STATE_EMOJI[status.state]} ${word}${date}${who}${note}` }]);
  }
  switch (status.state) {
    case 'pass': {
      const link: PhrasingContent[] = evidence.length ? [{ type: 'text', value: ' (' }, ...evidence, { type: 'text', value: ')' }] : [];
      return phrasing([{ type: 'text', value: `${STATE_EMOJI.pass} ${WORD.pass}${status.date ? ` ${status.date}` : ''}` }, ...link]);
    }
    case 'warn':
      return phrasing([{ type: 'text', value: `${STATE_EMOJI.warn} ${status.limitation ? WORD.limitation : WORD.warn}: ${status.reason ?? ''}` }, ...tail(status.date)]);
    case 'fail':
      return phrasing([{ type: 'text', value: `${STATE_EMOJI.fail} ${WORD.fail}: ${status.reason ?? ''}` }, ...tail(status.date)]);
    default:
      return phrasing([{ type: 'text', value: `${STATE_EMOJI.pending} ${WORD.pending}${status.reason ? `: ${status.reason}` : ''}` }, ...tail(status.date)]);
  }
}

/** The trailing italic note of a checkbox item: `_(2025-09-18: <reason>; see [evidence](…))_`. */
export function notePhrase(status: ItemStatus, context: RenderContext): string {
  const words: string[] = [];
  if (status.date) words.push(`${status.date}: `);
  if (status.kind === 'decision') {
    words.push(DECISION_WORD[status.state].toLowerCase());
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
  return text.replace(FIELD_TAIL, '');
}

/*
 * Recognising: patterns made of the same words. A reason may be any text; the
 * evidence link's URL is a relative path (no parentheses or spaces).
 */
const DATE = String.raw`\d{4}-\d{2}-\d{2}`;
const EVIDENCE_LINK = String.raw`\[${EVIDENCE_WORD}\]\([^()\s]*\)`;
// Looser than EVIDENCE_LINK about the URL: a hand-edited tail is dropped as well.
const FIELD_TAIL = new RegExp(String.raw`\s*\((?:${DATE})?(?:,\s*)?(?:\[${EVIDENCE_WORD}\]\([^)]*\))?\)\s*$`);
const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const any = (words: readonly string[]) => `(?:${[...new Set(words)].map(escape).join('|')})`;

/** The tail emojiPhrase writes: `(date)`, `([evidence](…))` or `(date, [evidence](…))`. */
const OUR_TAIL = String.raw`\((?:${DATE})?(?:, )?(?:${EVIDENCE_LINK})?\)\.?`;
const OUR_EMOJI_PHRASE = new RegExp(
  String.raw`^\uFE0F?\s*(?:` +
    String.raw`${escape(WORD.pass)}(?: ${DATE})?(?: \(${EVIDENCE_LINK}\))?\.?` +
    String.raw`|${any([WORD.fail, WORD.warn, WORD.limitation, WORD.pending])}: [\s\S]*${OUR_TAIL}` +
    String.raw`|${escape(WORD.pending)}: ${escape(NO_EVIDENCE_YET)} [\w.,\s-]+\.?` +
    String.raw`|${any([DECISION_WORD.pass, DECISION_WORD.fail])} ${DATE}[\s\S]*|${escape(DECISION_WORD.pending)} since ${DATE}[\s\S]*` +
    ')$',
  'u',
);

/**
 * What emojiPhrase writes after the emoji (`text` starts after it): an item Proofbook already
 * wrote whole (`✅ Completed 2025-09-18 ([evidence](…))`, `❌ Failed: <reason> (2025-09-20, [evidence](…))`).
 */
export function isOurEmojiPhrase(text: string): boolean {
  return OUR_EMOJI_PHRASE.test(text);
}

const STATES: ItemState[] = ['pass', 'warn', 'fail', 'pending'];
const OUR_NOTE = new RegExp(
  String.raw`^[_*]\((?:.*; see ${EVIDENCE_LINK}|(?:${DATE}: )?(?:${escape(NO_EVIDENCE_YET)} [^()]*|` +
    `${any([...STATES.map((state) => DECISION_WORD[state].toLowerCase()), ...STATES])})` +
    String.raw`(?:[,;][^()]*)?)\)[_*]$`,
  's',
);

/** A checkbox item's trailing note as notePhrase writes it (`source` is the whole emphasis, markers included). */
export function isOurNote(source: string): boolean {
  return OUR_NOTE.test(source);
}
