/**
 * Reads the stored upgrade previews (`<evaluation>/upgrade-preview/<version>/preview.json`) for
 * the runbook region and the dashboard, before anything renders: renderers stay pure.
 *
 * The evaluation folder is untrusted input (a PR can add anything to it): every file is read
 * through the contained reads (../evidence/contained.ts — no link, regular files only), parsed
 * with positions and checked against ./preview-schema.ts. A problem is an InputError with
 * `file:line:col` (exit 2, nothing written) and never quotes the file. A version folder without
 * a `preview.json` (a preview still running, or one that stopped) is not a preview yet.
 */
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { ContainmentError, describeContainment, fixContainment, readContained } from '../evidence/contained.ts';
import { decodeTextInput, InputError } from '../formats/input-error.ts';
import { jsonSyntaxError } from '../formats/json-errors.ts';
import { locate, pathText, scanJson } from '../formats/json.ts';
import { positionAt } from '../formats/positions.ts';
import { upgradePreviewSchema } from './preview-schema.ts';
import { PREVIEW_FILE, PREVIEW_FOLDER, type UpgradePreview } from './preview.ts';

/** Every stored preview, newest run first. */
export interface UpgradePreviews {
  all: UpgradePreview[];
}

/** The preview to draw: of `version` when given, else the newest; undefined when there is none. */
export function pickPreview(previews: UpgradePreviews | undefined, version?: string): UpgradePreview | undefined {
  if (!previews) return undefined;
  return version === undefined ? previews.all[0] : previews.all.find((preview) => preview.to === version);
}

const REMAKE = 'make it again with `npm run proofbook -- upgrade-preview --to <version>`, or delete the folder';

/** The previews stored under the evaluation folder; none when it has no `upgrade-preview/` folder. */
export async function readPreviews(evaluationDir: string): Promise<UpgradePreviews> {
  const folder = path.join(evaluationDir, PREVIEW_FOLDER);
  const info = await lstat(folder).catch(() => undefined);
  if (!info) return { all: [] };
  if (!info.isDirectory()) {
    const problem = info.isSymbolicLink() ? ({ kind: 'link', file: folder } as const) : ({ kind: 'special', file: folder } as const);
    throw new InputError(folder, 1, 1, `${describeContainment(problem)} — ${fixContainment(problem)}`);
  }
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const all: UpgradePreview[] = [];
  for (const entry of entries) {
    // A note beside the version folders is not a preview; a link or a FIFO is refused.
    if (entry.isFile()) continue;
    if (!entry.isDirectory()) {
      const problem = { kind: entry.isSymbolicLink() ? 'link' : 'special', file: path.join(folder, entry.name) } as const;
      throw new InputError(problem.file, 1, 1, `${describeContainment(problem)} — ${fixContainment(problem)}`);
    }
    const relative = `${PREVIEW_FOLDER}/${entry.name}/${PREVIEW_FILE}`;
    let bytes: Buffer;
    try {
      bytes = await readContained(evaluationDir, relative);
    } catch (error) {
      if (!(error instanceof ContainmentError)) throw error;
      // No preview.json in that folder (yet): no preview of that version.
      if (error.problem.kind === 'missing') continue;
      throw new InputError(error.problem.file, 1, 1, `${describeContainment(error.problem)} — ${fixContainment(error.problem)}`);
    }
    all.push(parsePreview(bytes, path.join(evaluationDir, relative), entry.name));
  }
  // Newest run first; equal times keep the folder order (the sort is stable).
  all.sort((a, b) => Date.parse(b.ranAt) - Date.parse(a.ranAt));
  return { all };
}

/** One `preview.json`, checked: JSON, the schema, and the version its folder names. */
export function parsePreview(bytes: Uint8Array, file: string, folderVersion: string): UpgradePreview {
  const decoded = decodeTextInput(bytes, 'this preview file');
  if (decoded.problem) throw new InputError(file, decoded.problem.line, decoded.problem.column, decoded.problem.message);
  const text = decoded.text.replace(/^\uFEFF/, '');
  const syntax = jsonSyntaxError(text);
  if (syntax) {
    const { line, column } = positionAt(text, syntax.offset);
    throw new InputError(file, line, column, `invalid JSON: ${syntax.message} — ${REMAKE}`);
  }
  const { root, value } = scanJson(text);
  const parsed = upgradePreviewSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const { line, column } = positionAt(text, locate(root!, issue.path).offset);
    throw new InputError(file, line, column, `${pathText(issue.path)}: ${issueText(issue)} — not a preview this Proofbook wrote; ${REMAKE}`);
  }
  const preview = parsed.data as UpgradePreview;
  if (preview.to !== folderVersion) {
    const { line, column } = positionAt(text, locate(root!, ['to']).offset);
    throw new InputError(file, line, column, `to: the preview is of another version than its folder names — ${REMAKE}`);
  }
  return preview;
}

/** What is wrong, without the value: the file may hold anything, a pasted secret included. */
function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'not a version (letters, digits and . + _ -)' : `not a valid ${issue.format}`;
    case 'too_small':
    case 'too_big':
      return issue.origin === 'string' ? 'empty' : `out of range`;
    case 'custom':
      return issue.message;
    default:
      return 'not valid here';
  }
}
