/** Shared pieces every renderer uses: the status line with its evidence link. */
import path from 'node:path';
import type { PhrasingContent } from 'mdast';
import type { ProbeResult, ProbeStatus } from '../probes/types.ts';

export const STATUS_MARK: Record<ProbeStatus, string> = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  skip: '⏭️',
  error: '💥',
};

export interface RenderContext {
  /** Absolute path of the document being rewritten (links are made relative to it). */
  docFile: string;
  evaluationDir: string;
}

/** Link from the document to a file in the evaluation folder, with `/` separators. */
export function evidenceHref(context: RenderContext, evidencePath: string): string {
  const relative = path.relative(path.dirname(context.docFile), path.join(context.evaluationDir, evidencePath));
  return relative.split(path.sep).join('/');
}

/** `✅ pass — <summary> (2026-11-25, evidence)` */
export function statusLine(result: ProbeResult, context: RenderContext): PhrasingContent[] {
  return [
    { type: 'text', value: `${STATUS_MARK[result.status]} ` },
    { type: 'strong', children: [{ type: 'text', value: result.status }] },
    { type: 'text', value: ` — ${result.summary} (${result.startedAt.slice(0, 10)}, ` },
    { type: 'link', url: evidenceHref(context, result.evidence.result), children: [{ type: 'text', value: 'evidence' }] },
    { type: 'text', value: ')' },
  ];
}
