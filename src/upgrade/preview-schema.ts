/**
 * The shape of `preview.json` (./preview.ts's UpgradePreview) as a zod schema. The file sits in
 * the evaluation folder, which a PR can edit like any other: the region and the dashboard read it
 * only through this schema, so a missing field or a wrong type is an input error with its
 * position, never a crash or a half-drawn table.
 *
 * Evidence paths must stay relative and inside the evaluation folder: they become links in the
 * runbooks and on the site.
 */
import { z } from 'zod';
import { MATRIX_ASPECTS } from '../evidence/client-matrix.ts';
import { PROBE_STATUSES } from '../model/status.ts';
import type { UpgradePreview } from './preview.ts';

const status = z.enum(PROBE_STATUSES);

/** `upgrade-preview/1.110.2/gateway.auth/x.json`: relative, `/`-separated, no `..`, no scheme. */
const evidencePath = z
  .string()
  .min(1)
  .refine((value) => !/^[\\/]|^[a-z][a-z0-9+.-]*:|\\|\0|[?#]/i.test(value) && !value.split('/').some((part) => part === '..' || part === '.' || part === ''), {
    message: 'not a path inside the evaluation folder (relative, with `/`, no `..`)',
  });

const finding = z.object({
  severity: z.enum(['fail', 'warn', 'info']),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  code: z.string().optional(),
});

const side = z.object({ status, summary: z.string(), evidence: evidencePath });

const probeChange = z.object({
  id: z.string().min(1),
  before: side.optional(),
  after: side.optional(),
  cleared: z.array(finding),
  added: z.array(finding),
  change: z.enum(['changed', 'same']),
});

const cellChange = z.object({
  client: z.string().min(1),
  host: z.string().min(1),
  aspect: z.enum(MATRIX_ASPECTS),
  before: status.optional(),
  after: status.optional(),
  evidence: evidencePath.optional(),
  // Absent in previews written before it was recorded.
  evidenceBefore: evidencePath.optional(),
});

/** A version as a folder name: what `upgrade-preview --to` accepts (`1.110.2`, `1.80.0-stable`). */
export const PREVIEW_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]*$/;

export const upgradePreviewSchema = z.object({
  schema: z.literal(1),
  from: z.string().regex(PREVIEW_VERSION),
  to: z.string().regex(PREVIEW_VERSION),
  ranAt: z.iso.datetime({ offset: true }),
  labUpMs: z.number().nonnegative(),
  probesMs: z.number().nonnegative(),
  probes: z.array(probeChange),
  cells: z.array(cellChange),
  configCompatibility: z.array(finding),
});

// The schema and the type say the same thing: a change to one that the other lacks fails to compile.
type Parsed = z.infer<typeof upgradePreviewSchema>;
const _parsedIsPreview = (value: Parsed): UpgradePreview => value;
const _previewIsParsed = (value: UpgradePreview): Parsed => value;
void _parsedIsPreview;
void _previewIsParsed;
