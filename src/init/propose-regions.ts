/**
 * `proofbook init`, step 2: where a hand-written runbook should get generated regions.
 *
 * A section (a `##`… heading and the blocks up to the next heading) is a candidate for a
 * region kind when its heading names the topic (routing, tool catalog, clients, secrets) and
 * its prose confirms it and names the gateway, or when it holds a data block only that topic has — and only the
 * gateway's own (a tool list naming its servers, a routing table naming its hosts: see each
 * probe's `adopt.region`). Sections under a heading about another service (`Filesystem (9
 * tools)`, `ArangoDB MCP Server`) are never candidates.
 *
 * init never removes a hand-written byte by default:
 * - **insert** (the default): an empty region right after the hand-written data block it would
 *   supersede (listed in the proposal as `supersedes`, kept as written), or at the end of the
 *   section when there is no such block;
 * - **wrap** (opt-in per proposal, `--replace`): the markers go around the data block, and the
 *   first refresh replaces it — never around prose, notes, `<details>`, other code or subsections.
 *
 * Markers are whole lines (`<!-- proofbook:start id -->` … `<!-- proofbook:end id -->`) at the
 * top level of the document; everything outside them stays byte for byte as it was.
 */
import type { Code, Heading, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { firstColumn, headerCells, namesAny, type GatewayNames, type RegionKind as ProbeRegionKind } from '../probes/kit/adopt.ts';
import { PROBE_DEFINITIONS } from '../probes/registry.ts';
import { applyEdits, type TextEdit } from '../rewrite/edits.ts';
import { findRegionsInTree, parseMarkdown, type Region } from '../rewrite/regions.ts';
import { positionOf } from '../rewrite/structure.ts';
import { allNames, headingAboutAnotherService, perServerHeading, type GatewayTerms } from './gateway-names.ts';

export interface RegionProposal {
  id: string;
  /** Heading of the section the region goes into, and its line. */
  heading: string;
  headingLine: number;
  /** insert: an empty region, nothing hand-written replaced (the default); wrap: opted in with `--replace`. */
  mode: 'wrap' | 'insert';
  /**
   * The hand-written data block(s) the generated region supersedes (lines of the document as it
   * is, 1-based, inclusive). Kept as written unless the proposal is replaced (`--replace <file>:<from>`).
   */
  supersedes?: { from: number; to: number; blocks: string[] };
  /** wrap: the hand-written lines the region replaces on the first refresh (= `supersedes`). */
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
  'i',
);

/** A model or version id (`claude-sonnet-4-5`, `gpt-4o-mini`, `Claude Sonnet 4.5`): it names no client. */
export const MODEL_ID = /\b(?:[a-z][\w.]*-)+\d[\w.-]*|\b(?:claude|gpt|gemini|llama|mistral)[-\s]+(?:\d[\w.]*|sonnet|opus|haiku|instant|mini|turbo|pro|flash)\b/gi;

/** A first-column cell that is a client's name (`Claude Code`, `Codex CLI`), not a model row (`claude-sonnet-4-5`). */
const namesClient = (cell: string) => CLIENTS.test(cell.replace(MODEL_ID, ' '));

/** The client matrix is drawn from several probes: its kind is init's own. */
const CLIENTS_MATRIX: RegionKind = {
  id: 'clients.matrix',
  heading: /\b(client matrix|clients?|compatibility)\b/i,
  body: CLIENTS,
  // A client table: a client column first, and clients named in it.
  isData(block) {
    if (block.type !== 'table') return false;
    const header = headerCells(block);
    return header[0] !== undefined && /^(?:mcp )?clients?\b/.test(header[0]) && firstColumn(block).some(namesClient);
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
const FENCED = /^([ \t]*)(```|~~~)[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm;

/** Nothing known of the gateway: no block is its own data, sections are judged by their headings. */
const NO_NAMES: GatewayTerms = { servers: [], hosts: [], secretsFiles: [], services: [], files: [] };

interface Section {
  heading: Heading;
  /** Headings of the sections it sits in (lower depth, before it), outermost first. */
  within: string[];
  /** Top-level blocks of the section (up to the next heading), with whether each sits inside raw HTML such as <details>. */
  blocks: { node: RootContent; inHtml: boolean }[];
}

function sections(tree: Root): Section[] {
  const out: Section[] = [];
  const open: Heading[] = [];
  let current: Section | undefined;
  let htmlDepth = 0;
  for (const node of tree.children) {
    if (node.type === 'heading') {
      while (open.length && open.at(-1)!.depth >= node.depth) open.pop();
      current = { heading: node, within: open.map((h) => toString(h).trim()), blocks: [] };
      open.push(node);
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

/** What identifies a proposal for `--replace`: its file and the first line of the block it supersedes, or its region id. */
export interface ProposalRef {
  id: string;
  /** First line of the superseded block. */
  from: number;
}

export interface ProposeOptions {
  /** Region ids to propose (default: every kind). */
  ids?: string[];
  /** Options written into a start marker, by region id (e.g. `secrets.audit: {service: 'litellm'}`). */
  markerOptions?: Record<string, Record<string, string>>;
  /** A plan: sections holding plan items are left alone. */
  plan?: boolean;
  /** The gateway's names: a data block is superseded only when it is the gateway's own. */
  gateway?: GatewayTerms;
  /** Which proposals that supersede a block wrap (replace) it instead of going beside it: the explicit opt-in. */
  replace?: (proposal: ProposalRef) => boolean;
  /** The text (without a BOM) already parsed, so a document is parsed once. */
  tree?: Root;
}

/** An insertion into the original text (offsets include a BOM): to map positions of the original onto the new text. */
export interface Insertion {
  at: number;
  length: number;
}

/**
 * Proposes regions for one document and returns the text with their markers. Sections that
 * already hold a region, and ids the document already has, are left alone.
 */
export function proposeRegions(text: string, file: string, options: ProposeOptions = {}): { text: string; proposals: RegionProposal[]; insertions: Insertion[] } {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const body = text.slice(bom);
  const tree = options.tree ?? parseMarkdown(body);
  const existing: Region[] = findRegionsInTree(tree, file); // a malformed marker stops init like it stops a refresh
  const gateway = options.gateway ?? NO_NAMES;
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
  const isData = (kind: RegionKind, block: { node: RootContent; inHtml: boolean } | undefined) => Boolean(block && !block.inHtml && kind.isData(block.node, body, gateway satisfies GatewayNames));

  const knowsNames = allNames(gateway).length > 0;
  /**
   * An empty region needs the section's prose (not its code: a template's `"tools":`) to confirm
   * the topic and, when the gateway's names are known, to be about the gateway.
   */
  const confirms = (kind: RegionKind, section: Section, headingText: string) => {
    const prose = section.blocks
      .filter((b) => b.node.type !== 'code' && b.node.type !== 'html')
      .map((b) => body.slice(start(b.node), end(b.node)))
      .join('\n');
    const bodyPattern = new RegExp(kind.body.source, kind.body.flags.replace('g', ''));
    return bodyPattern.test(prose) && (!knowsNames || namesAny(`${headingText}\n${prose}`, allNames(gateway)));
  };

  const edits: (TextEdit & { proposal: Omit<RegionProposal, 'line'>; at: number })[] = [];
  const candidates = sections(tree).filter((section) => {
    if (section.heading.depth < 2 || insideExisting(start(section.heading))) return false;
    const sectionText = body.slice(start(section.heading), section.blocks.length ? end(section.blocks.at(-1)!.node) : end(section.heading));
    if (MARKER_LIKE.test(sectionText)) return false; // already has regions of its own
    const headingText = toString(section.heading);
    if (PLAN_HEADING.test(headingText)) return false;
    // Another service's section (or one inside it), or one server's: not where the gateway's regions go.
    if ([...section.within, headingText].some((h) => headingAboutAnotherService(h, gateway) || perServerHeading(h))) return false;
    if (options.plan && STATUS_ITEM.test(sectionText.replace(FENCED, ''))) return false;
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
        const dataIndex = section.blocks.findIndex((b) => isData(kind, b));
        const byHeading = kind.heading.test(headingText);
        if (pass === 'heading' ? !(byHeading && (dataIndex >= 0 || confirms(kind, section, headingText))) : dataIndex < 0) continue;

        const headingLine = section.heading.position!.start.line;
        const why = pass === 'heading' ? `heading "${headingText}"` : `data block under "${headingText}"`;
        if (dataIndex >= 0) {
          // The data block and the data blocks right after it; nothing else.
          let last = dataIndex;
          while (isData(kind, section.blocks[last + 1])) last++;
          const first = section.blocks[dataIndex]!.node;
          const lastNode = section.blocks[last]!.node;
          const blocks = section.blocks.slice(dataIndex, last + 1).map((b) => (b.node.type === 'code' ? `code${(b.node as Code).lang ? ` (${(b.node as Code).lang})` : ''}` : b.node.type));
          const supersedes = { from: first.position!.start.line, to: lastNode.position!.end.line, blocks };
          if (options.replace?.({ id: kind.id, from: supersedes.from })) {
            const from = lineStart(start(first));
            const proposal = { id: kind.id, heading: headingText, headingLine, mode: 'wrap' as const, supersedes, replaces: supersedes, why };
            edits.push({ start: from, end: from, text: marker('start', kind.id) + eol, reason: `region ${kind.id}`, proposal, at: from });
            edits.push({ start: end(lastNode), end: end(lastNode), text: eol + marker('end', kind.id), reason: `region ${kind.id} end`, proposal, at: -1 });
          } else {
            // Beside the block it supersedes, which stays as written.
            const after = end(lastNode);
            const proposal = { id: kind.id, heading: headingText, headingLine, mode: 'insert' as const, supersedes, why };
            edits.push({ start: after, end: after, text: `${eol}${eol}${marker('start', kind.id)}${eol}${marker('end', kind.id)}`, reason: `region ${kind.id}`, proposal, at: after });
          }
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
  const insertions = shifted.map((e) => ({ at: e.start, length: e.text.length })).sort((a, b) => a.at - b.at);
  return { text: out, proposals: proposals.sort((a, b) => a.line - b.line), insertions };
}

/**
 * Blocks an earlier init placed a region beside: the data block right before a region's start
 * marker, of that region's kind. They stay superseded on later runs (their items are not bound).
 * Offsets of the text without a BOM.
 */
export function supersededBeside(tree: Root, body: string, regions: Region[], gateway: GatewayTerms = NO_NAMES): [number, number][] {
  const out: [number, number][] = [];
  for (const region of regions) {
    const kind = REGION_KINDS.find((k) => k.id === region.id);
    const before = tree.children.filter((node) => node.position!.end.offset! <= region.markerStart).at(-1);
    if (!kind || !before || body.slice(before.position!.end.offset!, region.markerStart).trim()) continue;
    if (kind.isData(before, body, gateway)) out.push([before.position!.start.offset!, before.position!.end.offset!]);
  }
  return out;
}

/** Where an offset of the original text is in the text with the insertions (an insertion at the offset comes before it). */
export function shiftedOffset(offset: number, insertions: Insertion[]): number {
  let shifted = offset;
  for (const insertion of insertions) if (insertion.at <= offset) shifted += insertion.length;
  return shifted;
}
