/**
 * Evidence → render → rewrite, planned for every runbook before anything is written: each
 * generated region is drawn from the evidence, each bound item gets its status, and the text a
 * refresh would write is kept beside the text read (for the diff, `--check` and the writes).
 */
import type { Root } from 'mdast';
import type { ProbeView } from '../evidence/history.ts';
import { markdownFiles } from '../fs/markdown-files.ts';
import type { Config } from '../probes/config.ts';
import { renderRegion } from '../render/index.ts';
import { previewDate, UPGRADE_PREVIEW_REGION } from '../render/upgrade-preview.ts';
import { planRewrite, type PlannedDocument, type StructureCache } from '../rewrite/workspace.ts';
import type { Redactor } from '../secrets/redactor.ts';
import { readPreviews } from '../upgrade/read-preview.ts';

export async function planDocs(
  config: Config,
  views: Map<string, ProbeView>,
  redactor: Redactor,
  force: boolean,
  knownProbes: string[],
  cache: StructureCache,
  /** Sees each document's tree when it had to be parsed (no cached structure). */
  onParsed?: (file: string, tree: Root, body: string) => void,
): Promise<PlannedDocument[]> {
  const files = await markdownFiles(config.runbooks);
  // Upgrade previews are read (contained, checked) here, not while rendering; they feed only the
  // upgrade.preview region: never a plan item's status, never a probe's "status since".
  const previews = await readPreviews(config.evaluationDir);
  return planRewrite(
    files,
    (file) => (region) =>
      renderRegion(region.id, views, { docFile: file, evaluationDir: config.evaluationDir, hosts: config.hosts.map((h) => h.name), previews }, region),
    (file) => ({
      force,
      // Evidence is redacted when written; generated text is redacted again in case a secret
      // reached a results file some other way. Hand-written text is never touched.
      sanitize: (markdown) => redactor.redact(markdown),
      regionDate: (region) => (region.id === UPGRADE_PREVIEW_REGION ? previewDate(previews, region) : views.get(region.id)?.since.slice(0, 10)),
      ...(onParsed ? { onParsed: (tree: Root, body: string) => onParsed(file, tree, body) } : {}),
      plan: {
        views,
        bindings: config.plan.bindings,
        decisions: config.plan.decisions,
        knownProbes,
        render: { docFile: file, evaluationDir: config.evaluationDir },
      },
    }),
    cache,
  );
}
