/**
 * Plan items and status fields bound to probes (or decisions), rewritten in the style the
 * file already uses. Only the status part of an item changes; the item's own text never does.
 *
 * Shapes (found by `analyzeDocument` in structure.ts):
 * - emoji items:     `1. Inspect Traefik labels… ✅ Completed 2025-09-18.`
 * - GFM checkboxes:  `- [x] Ensure config… _(2025-09-18: …; see [evidence](…))_`
 * - lead marks:      `- ✅ Read/write to the database only _(2025-09-18: …; see [evidence](…))_`
 * - status fields:   `- **Status**: ✅ RUNNING`
 * - table rows whose Status cell starts with an emoji
 *
 * A binding is an inline marker `<!-- proof: id[, id…] -->` in the item, or a config entry
 * whose `match` text the item contains.
 */
import type { ProbeView } from '../evidence/history.ts';
import type { RenderContext } from '../probes/kit/render/status.ts';
import type { TextEdit } from './edits.ts';
import { statusFromDecision, statusFromProbes, type Decision, type ItemStatus } from './item-status.ts';
import { emojiPhrase, fieldPhrase, leadMark, notePhrase } from './status-phrases.ts';
import { RegionError } from './regions.ts';
import { positionOf, type Site } from './structure.ts';

export interface Binding {
  match: string;
  probes: string[];
  /** Limit the binding to files whose path ends with this. */
  file?: string;
}

export interface PlanContext {
  file: string;
  views: Map<string, ProbeView>;
  bindings: Binding[];
  decisions: Decision[];
  knownProbes: string[];
  render: RenderContext;
}

export interface ItemReport {
  /** Offset of the item, for grouping under headings. */
  at: number;
  line: number;
  text: string;
  probes: string[];
  state: string;
}

/** An edit of one site's range; `pad` is inserted text that is not part of the new range. */
export interface SiteEdit extends TextEdit {
  site: number;
  range: 'status' | 'box' | 'mark';
  pad: string;
}

export interface PlanResult {
  edits: SiteEdit[];
  /** Status dates of bound items, for `Last Updated`. */
  dates: string[];
  items: ItemReport[];
}

export function itemEdits(text: string, sites: Site[], context: PlanContext): PlanResult {
  const result: PlanResult = { edits: [], dates: [], items: [] };
  sites.forEach((site, index) => {
    const binding = bindingFor(site, text, context);
    if (!binding) return;
    const status: ItemStatus = binding.decision ? statusFromDecision(binding.decision) : statusFromProbes(binding.probes!, context.views);
    if (status.date) result.dates.push(status.date);
    result.items.push({ at: site.at, line: positionOf(text, site.at).line, text: site.text.replace(/[`*_]/g, '').slice(0, 80), probes: binding.probes ?? [], state: status.state });

    const old = text.slice(site.status[0], site.status[1]);
    let phrase: string;
    if (site.kind === 'field') phrase = fieldPhrase(status, old, context.render);
    // A pipe ends the cell unless escaped; one the author already escaped (in a kept word) stays as it is.
    else if (site.kind === 'cell') phrase = fieldPhrase(status, old, context.render).replace(/(?<!\\)\|/g, '\\|');
    else if (site.kind === 'checkbox' || site.kind === 'lead') phrase = notePhrase(status, context.render);
    else {
      phrase = emojiPhrase(status, context.render);
      if (/\.\s*$/.test(old) && !phrase.endsWith('.')) phrase += '.'; // keep the sentence's full stop
    }
    const pad = site.status[0] === site.status[1] ? site.pad : '';
    result.edits.push({ start: site.status[0], end: site.status[1], text: pad + phrase, reason: `${site.kind} item`, site: index, range: 'status', pad });

    if (site.mark) {
      const previous = text.slice(site.mark[0], site.mark[1]);
      const wanted = leadMark(status, previous);
      if (previous !== wanted) result.edits.push({ start: site.mark[0], end: site.mark[1], text: wanted, reason: 'lead mark', site: index, range: 'mark', pad: '' });
    }
    if (site.box) {
      const wanted = status.state === 'pass' ? 'x' : ' ';
      if (text.slice(site.box[0], site.box[1]).toLowerCase() !== wanted) {
        result.edits.push({ start: site.box[0], end: site.box[1], text: wanted, reason: 'checkbox', site: index, range: 'box', pad: '' });
      }
    }
  });
  return result;
}

/** What an item is bound to: probes (by its inline marker or a config binding) or a decision; undefined when unbound. */
export function bindingFor(
  site: Site,
  text: string,
  context: Pick<PlanContext, 'file' | 'bindings' | 'decisions' | 'knownProbes'>,
): { probes?: string[]; decision?: Decision } | undefined {
  if (site.markerProbes?.length) {
    for (const id of site.markerProbes) {
      if (!context.knownProbes.includes(id)) {
        const { line, column } = positionOf(text, site.markerAt ?? site.at);
        throw new RegionError(context.file, line, column, `item is bound to unknown probe "${id}"; known probes: ${context.knownProbes.join(', ')}`);
      }
    }
    return { probes: site.markerProbes };
  }
  // Match the text as written and without Markdown's inline marks, so both
  // "Reconfirm `mcp_servers` definitions" and "Reconfirm mcp_servers definitions" match.
  const written = site.text.toLowerCase();
  const plain = written.replace(/[`*_]/g, '');
  const applies = (entry: { match: string; file?: string }) => {
    const match = entry.match.toLowerCase();
    return (written.includes(match) || plain.includes(match.replace(/[`*_]/g, ''))) && (!entry.file || context.file.endsWith(entry.file));
  };
  const decision = context.decisions.find(applies);
  if (decision) return { decision };
  const binding = context.bindings.find(applies);
  return binding ? { probes: binding.probes } : undefined;
}
