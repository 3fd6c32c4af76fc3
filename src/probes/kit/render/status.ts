/**
 * Shared pieces every renderer uses: what a renderer is given (the document, the evaluation
 * folder, its region's options) and the status line with its evidence link. Below the render
 * stage, so a probe's own renderer (src/probes/<id>/render.ts) can use it.
 */
import path from 'node:path';
import type { PhrasingContent, RootContent } from 'mdast';
import type { ProbeStatus, ProbeView } from '../../types.ts';

export const STATUS_MARK: Record<ProbeStatus, string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  skip: '⏭️',
  error: '💥',
  'known-limitation': '⚠️',
};

export interface RenderContext {
  /** Absolute path of the document being rewritten (links are made relative to it). */
  docFile: string;
  evaluationDir: string;
  /** Host names in the config's order (tables list hosts in it). */
  hosts?: string[];
}

/** What a renderer reads of its region: the options on its start marker (e.g. `service=litellm`). */
export interface RegionOptions {
  options: Record<string, string>;
}

/**
 * Draws a probe's region from its evidence (`region`: its marker's options, none when omitted).
 * Declared as a method, whose parameters TypeScript compares both ways, so each renderer takes
 * the view with its own probe's facts type (src/probes/<id>/facts.ts) and callers pass any
 * view: the evidence of a probe holds that probe's facts.
 */
interface Renderer {
  draw(view: ProbeView<object>, context: RenderContext, region?: RegionOptions): RootContent[];
}
export type RegionRenderer = Renderer['draw'];

/** Link from the document to a file in the evaluation folder, with `/` separators. */
export function evidenceHref(context: RenderContext, evidencePath: string): string {
  const relative = path.relative(path.dirname(context.docFile), path.join(context.evaluationDir, evidencePath));
  return relative.split(path.sep).join('/');
}

/** `✅ **pass** since 2026-11-25 — <summary> ([evidence](…))` */
export function statusLine(view: ProbeView<object>, context: RenderContext): PhrasingContent[] {
  return [
    { type: 'text', value: `${STATUS_MARK[view.status]} ` },
    { type: 'strong', children: [{ type: 'text', value: view.status }] },
    { type: 'text', value: ` since ${view.since.slice(0, 10)} — ${view.summary} (` },
    evidenceLink(view, context),
    { type: 'text', value: ')' },
  ];
}

export function evidenceLink(view: ProbeView<object>, context: RenderContext): PhrasingContent {
  return { type: 'link', url: evidenceHref(context, view.evidence), children: [{ type: 'text', value: 'evidence' }] };
}
