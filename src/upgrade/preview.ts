/**
 * What an upgrade would change, as data: the probes' evidence on the current lab next to their
 * evidence on a lab running the target LiteLLM version (same config, labels, secrets, clients).
 * Per probe: the status before and after, the findings the upgrade clears and the ones it brings;
 * per client-matrix cell: the status before and after. Pure: the command
 * (src/cli/upgrade-preview.ts) runs the lab and the probes, the region and the dashboard draw this.
 *
 * Stored as `<evaluation>/upgrade-preview/<version>/preview.json`, apart from the evidence index:
 * a preview never changes the current evidence's "status since" or any plan item.
 */
import path from 'node:path';
import { clientMatrix, MATRIX_ASPECTS, type MatrixAspect } from '../evidence/client-matrix.ts';
import { PREVIEW_FOLDER, type ProbeView } from '../evidence/history.ts';
import type { Finding } from '../model/findings.ts';
import type { ProbeStatus } from '../model/status.ts';

export { PREVIEW_FOLDER };
export const PREVIEW_FILE = 'preview.json';

export interface UpgradePreview {
  schema: 1;
  /** The LiteLLM version the team runs (`lab.litellmVersion`). */
  from: string;
  /** The version previewed. */
  to: string;
  /** ISO time the preview ran. */
  ranAt: string;
  /** Bringing up the second lab, and running every probe against it (ms). */
  labUpMs: number;
  probesMs: number;
  probes: ProbeChange[];
  cells: CellChange[];
  /** `config.yaml` keys the target version no longer names (src/upgrade/config-compat.ts). */
  configCompatibility: Finding[];
}

export interface ProbeSide {
  status: ProbeStatus;
  summary: string;
  /** Result file, relative to the evaluation folder (the preview's under `upgrade-preview/<version>/`). */
  evidence: string;
}

export interface ProbeChange {
  id: string;
  /** Absent: the probe has no current evidence. */
  before?: ProbeSide;
  /** Absent: the probe did not run on the preview lab. */
  after?: ProbeSide;
  /** Findings the current evidence has and the preview's does not. */
  cleared: Finding[];
  /** Findings only the preview's evidence has. */
  added: Finding[];
  /** `changed`: status or findings differ; `same`: neither does. */
  change: 'changed' | 'same';
}

export interface CellChange {
  client: string;
  host: string;
  aspect: MatrixAspect;
  before?: ProbeStatus;
  after?: ProbeStatus;
  /** The preview's evidence for the cell, relative to the evaluation folder. */
  evidence?: string;
  /** The current evidence for the cell (what `before` was read from), relative to the evaluation folder. */
  evidenceBefore?: string;
}

/** Where the preview of `version` is kept, under the evaluation folder. */
export function previewDir(evaluationDir: string, version: string): string {
  return path.join(evaluationDir, PREVIEW_FOLDER, version);
}

/**
 * Compares the current views with the preview lab's. `previewPrefix` is the preview's evidence
 * folder relative to the evaluation folder (`upgrade-preview/<version>`), so every evidence path in
 * the result is relative to the one evaluation folder.
 */
export function comparePreview(input: {
  before: Map<string, ProbeView>;
  after: Map<string, ProbeView>;
  previewPrefix: string;
  /** Probe ids in report order (the registry's); others follow sorted. */
  order: string[];
  hosts: string[];
  /**
   * Maps the preview lab's text onto the current lab's (its ports → the team's), so a finding that
   * differs only in the port of the second lab is the same finding.
   */
  normalise?: (text: string) => string;
}): Pick<UpgradePreview, 'probes' | 'cells'> {
  const { before } = input;
  const normalise = input.normalise ?? ((text: string) => text);
  const after = new Map([...input.after].map(([id, view]) => [id, { ...view, summary: normalise(view.summary), facts: { ...view.facts, findings: findingsOf(view).map((f) => ({ ...f, message: normalise(f.message), ...(f.file ? { file: normalise(f.file) } : {}) })) } }]));
  const afterPath = (evidence: string) => `${input.previewPrefix}/${evidence}`;
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => rank(input.order, a) - rank(input.order, b) || a.localeCompare(b));
  const probes = ids.map((id): ProbeChange => {
    const was = before.get(id);
    const now = after.get(id);
    const wasFindings = findingsOf(was);
    const nowFindings = findingsOf(now);
    const cleared = was && now ? wasFindings.filter((f) => !nowFindings.some((g) => sameFinding(f, g))) : [];
    const added = was && now ? nowFindings.filter((f) => !wasFindings.some((g) => sameFinding(f, g))) : now ? nowFindings : [];
    const change = !was || !now || was.status !== now.status || cleared.length > 0 || added.length > 0 ? 'changed' : 'same';
    return {
      id,
      ...(was ? { before: { status: was.status, summary: was.summary, evidence: was.evidence } } : {}),
      ...(now ? { after: { status: now.status, summary: now.summary, evidence: afterPath(now.evidence) } } : {}),
      cleared,
      added,
      change,
    };
  });

  const beforeRows = clientMatrix(before, input.hosts);
  const afterRows = clientMatrix(after, input.hosts);
  const keys = [...new Set([...beforeRows, ...afterRows].map((row) => `${row.client}\u0000${row.host}`))];
  const order = [...afterRows, ...beforeRows].map((row) => `${row.client}\u0000${row.host}`);
  keys.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const cells: CellChange[] = [];
  for (const key of keys) {
    const [client, host] = key.split('\u0000') as [string, string];
    const was = beforeRows.find((row) => row.client === client && row.host === host);
    const now = afterRows.find((row) => row.client === client && row.host === host);
    for (const aspect of MATRIX_ASPECTS) {
      const a = was?.cells[aspect];
      const b = now?.cells[aspect];
      if (!a && !b) continue;
      cells.push({
        client,
        host,
        aspect,
        ...(a ? { before: a.status, evidenceBefore: a.evidence } : {}),
        ...(b ? { after: b.status, evidence: afterPath(b.evidence) } : {}),
      });
    }
  }
  return { probes, cells };
}

/** The findings a probe's facts carry (`facts.findings`, the shape every static probe uses). */
function findingsOf(view: ProbeView | undefined): Finding[] {
  const findings = (view?.facts as { findings?: unknown } | undefined)?.findings;
  if (!Array.isArray(findings)) return [];
  return findings.filter((f): f is Finding => !!f && typeof f === 'object' && typeof (f as Finding).message === 'string' && typeof (f as Finding).severity === 'string');
}

/** Two runs report the same finding when it says the same thing about the same place. */
function sameFinding(a: Finding, b: Finding): boolean {
  return a.severity === b.severity && a.code === b.code && a.file === b.file && a.line === b.line && a.message === b.message;
}

function rank(order: string[], id: string): number {
  const at = order.indexOf(id);
  return at === -1 ? order.length : at;
}
