/**
 * `proofbook init`, step 2: where a hand-written runbook should get generated regions.
 *
 * A section (a `##`… heading and the blocks up to the next heading) is a candidate for a
 * region kind when its heading names the topic (routing, tool catalog, clients, secrets) and
 * its text confirms it, or when it holds a data block only that topic has (a routing table, a
 * tool table or list, a client table, a list of `.env` files).
 *
 * The markers decide what the first refresh replaces, so they are placed tightly:
 * - **wrap**: around the hand-written data blocks (tables, tool lists, a pasted label block) that
 *   the generated region supersedes — never around prose, notes, `<details>`, other code or
 *   subsections; those stay outside and are never touched;
 * - **insert**: an empty region at the end of the section when it has no such block, so
 *   nothing hand-written is replaced at all.
 *
 * Markers are whole lines (`<!-- proofbook:start id -->` … `<!-- proofbook:end id -->`) at the
 * top level of the document; everything outside them stays byte for byte as it was.
 */
import type { Code, Heading, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { countMatches, firstColumn, headerCells, type RegionKind as ProbeRegionKind } from '../probes/kit/adopt.ts';
import { PROBE_DEFINITIONS } from '../probes/registry.ts';
import { applyEdits, type TextEdit } from '../rewrite/edits.ts';
import { findRegionsInTree, parseMarkdown } from '../rewrite/regions.ts';
import { positionOf } from '../rewrite/structure.ts';

export interface RegionProposal {
  id: string;
  /** Heading of the section the region goes into, and its line. */
  heading: string;
  headingLine: number;
  mode: 'wrap' | 'insert';
  /** wrap: the hand-written lines the region replaces on the first refresh (1-based, inclusive). */
  replaces?: { from: number; to: number; blocks: string[] };
  /** Line of the start marker in the new text. */
  line: number;
  /** What matched, for the report. */
  why: string;
}

/** A region kind as init uses it: a probe's `adopt.region` (or the client matrix) with its region id. */
export interface RegionKind extends ProbeRegionKind {
  id: string;
}

/** Every client name a plan may use, from the client probes' `adopt.client`. */
const CLIENTS = new RegExp(
  [...new Set(PROBE_DEFINITIONS.flatMap((definition) => (definition.adopt?.client ? [definition.adopt.client.pattern.source] : [])))].join('|'),
  'gi',
);

/** The client matrix is drawn from several probes: its kind is init's own. */
const CLIENTS_MATRIX: RegionKind = {
  id: 'clients.matrix',
  heading: /\b(client matrix|clients?|compatibility)\b/i,
  body: CLIENTS,
  isData(block) {
    if (block.type !== 'table') return false;
    const header = headerCells(block);
    return (header[0] !== undefined && /^clients?\b/.test(header[0])) || countMatches(firstColumn(block), CLIENTS) >= 2;
  },
  rank: 30,
};

/** Region kinds in rank order: the probes' (`adopt.region`, region id = probe id) and the client matrix. */
export const REGION_KINDS: RegionKind[] = [
  ...PROBE_DEFINITIONS.flatMap((definition): RegionKind[] => (definition.adopt?.region ? [{ id: definition.id, ...definition.adopt.region }] : [])),
  CLIENTS_MATRIX,
].sort((a, b) => a.rank - b.rank);

/** Headings of plan sections: their items are bound to probes, never replaced by a region. */
export const PLAN_HEADING = /\b(phase|stage|milestones?|remediation|plan|roadmap|tasks?|checklist|to-?do|next steps|decisions?|outstanding)\b/i;
const MARKER_LIKE = /<!--\s*proofbook:(start|end)\b/;
const STATUS_ITEM = /^[ \t]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[ xX]\]|[^\n]*(?:✅|⚠|❌))/mu;

interface Section {
  heading: Heading;
  /** Top-level blocks of the section (up to the next heading), with whether each sits inside raw HTML such as <details>. */
  blocks: { node: RootContent; inHtml: boolean }[];
}

function sections(tree: Root): Section[] {
  const out: Section[] = [];
  let current: Section | undefined;
  let htmlDepth = 0;
  for (const node of tree.children) {
    if (node.type === 'heading') {
      current = { heading: node, blocks: [] };
      out.push(current);
      continue;
    }
    const inHtml = htmlDepth > 0;
    if (node.type === 'html') {
      // Blocks between <details> and </details> (or any open container tag) belong to the HTML.
      const opens = (node.value.match(/<(details|div|section|aside|blockquote|table)\b/gi) ?? []).length;
      const closes = (node.value.match(/<\/(details|div|section|aside|blockquote|table)\s*>/gi) ?? []).length;
      htmlDepth = Math.max(0, htmlDepth + opens - closes);
    }
    current?.blocks.push({ node, inHtml: inHtml || node.type === 'html' });
  }
  return out;
}

export interface ProposeOptions {
  /** Region ids to propose (default: every kind). */
  ids?: string[];
  /** Options written into a start marker, by region id (e.g. `secrets.audit: {service: 'litellm'}`). */
  markerOptions?: Record<string, Record<string, string>>;
  /** A plan: sections holding plan items are left alone. */
  plan?: boolean;
}

/**
 * Proposes regions for one document and returns the text with their markers. Sections that
 * already hold a region, and ids the document already has, are left alone.
 */
export function proposeRegions(text: string, file: string, options: ProposeOptions = {}): { text: string; proposals: RegionProposal[] } {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const body = text.slice(bom);
  const tree = parseMarkdown(body);
  const existing = findRegionsInTree(tree, file); // a malformed marker stops init like it stops a refresh
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const taken = new Set(existing.map((r) => r.id));
  const kinds = REGION_KINDS.filter((k) => !options.ids || options.ids.includes(k.id));
  const start = (node: { position?: { start: { offset?: number } } }) => node.position!.start.offset!;
  const end = (node: { position?: { end: { offset?: number } } }) => node.position!.end.offset!;
  const insideExisting = (offset: number) => existing.some((r) => offset >= r.markerStart && offset <= r.contentEnd);
  const lineStart = (offset: number) => body.lastIndexOf('\n', offset - 1) + 1;
  const marker = (kind: 'start' | 'end', id: string) => {
    const opts = kind === 'start' ? Object.entries(options.markerOptions?.[id] ?? {}).map(([k, v]) => ` ${k}=${v}`).join('') : '';
    return `<!-- proofbook:${kind} ${id}${opts} -->`;
  };

  const edits: (TextEdit & { proposal: Omit<RegionProposal, 'line'>; at: number })[] = [];
  const candidates = sections(tree).filter((section) => {
    if (section.heading.depth < 2 || insideExisting(start(section.heading))) return false;
    const sectionText = body.slice(start(section.heading), section.blocks.length ? end(section.blocks.at(-1)!.node) : end(section.heading));
    if (MARKER_LIKE.test(sectionText)) return false; // already has regions of its own
    const headingText = toString(section.heading);
    if (PLAN_HEADING.test(headingText)) return false;
    if (options.plan && STATUS_ITEM.test(sectionText.replace(/^([ \t]*)(```|~~~)[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm, ''))) return false;
    return true;
  });

  // First by heading (the author named the topic), then by data block alone; one region per section and id.
  const used = new Set<Section>();
  for (const pass of ['heading', 'data'] as const) {
    for (const kind of kinds) {
      if (taken.has(kind.id)) continue;
      for (const section of candidates) {
        if (used.has(section)) continue;
        const headingText = toString(section.heading).trim();
        const bodyText = body.slice(end(section.heading), section.blocks.length ? end(section.blocks.at(-1)!.node) : end(section.heading));
        const dataIndex = section.blocks.findIndex((b) => !b.inHtml && kind.isData(b.node, body));
        const byHeading = kind.heading.test(headingText);
        const bodyPattern = new RegExp(kind.body.source, kind.body.flags.replace('g', ''));
        if (pass === 'heading' ? !(byHeading && (dataIndex >= 0 || bodyPattern.test(bodyText))) : dataIndex < 0) continue;

        const headingLine = section.heading.position!.start.line;
        const why = pass === 'heading' ? `heading "${headingText}"` : `data block under "${headingText}"`;
        if (dataIndex >= 0) {
          // Wrap the data block and the data blocks right after it; nothing else.
          let last = dataIndex;
          while (section.blocks[last + 1] && !section.blocks[last + 1]!.inHtml && kind.isData(section.blocks[last + 1]!.node, body)) last++;
          const first = section.blocks[dataIndex]!.node;
          const lastNode = section.blocks[last]!.node;
          const from = lineStart(start(first));
          const blocks = section.blocks.slice(dataIndex, last + 1).map((b) => (b.node.type === 'code' ? `code${(b.node as Code).lang ? ` (${(b.node as Code).lang})` : ''}` : b.node.type));
          const proposal = {
            id: kind.id,
            heading: headingText,
            headingLine,
            mode: 'wrap' as const,
            replaces: { from: first.position!.start.line, to: lastNode.position!.end.line, blocks },
            why,
          };
          edits.push({ start: from, end: from, text: marker('start', kind.id) + eol, reason: `region ${kind.id}`, proposal, at: from });
          edits.push({ start: end(lastNode), end: end(lastNode), text: eol + marker('end', kind.id), reason: `region ${kind.id} end`, proposal, at: -1 });
        } else {
          const after = section.blocks.length ? end(section.blocks.at(-1)!.node) : end(section.heading);
          const proposal = { id: kind.id, heading: headingText, headingLine, mode: 'insert' as const, why };
          edits.push({ start: after, end: after, text: `${eol}${eol}${marker('start', kind.id)}${eol}${marker('end', kind.id)}`, reason: `region ${kind.id}`, proposal, at: after });
        }
        used.add(section);
        taken.add(kind.id);
        break;
      }
    }
  }

  const shifted = edits.map((e) => ({ ...e, start: e.start + bom, end: e.end + bom }));
  const out = applyEdits(text, shifted);
  // Lines of the start markers in the new text.
  const proposals: RegionProposal[] = [];
  let delta = 0;
  for (const edit of [...shifted].sort((a, b) => a.start - b.start)) {
    if (edit.at >= 0) {
      const offset = edit.start + delta + (edit.proposal.mode === 'insert' ? eol.length * 2 : 0);
      proposals.push({ ...edit.proposal, line: positionOf(out, offset).line });
    }
    delta += edit.text.length;
  }
  return { text: out, proposals: proposals.sort((a, b) => a.line - b.line) };
}
