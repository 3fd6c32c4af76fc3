/**
 * Which client-matrix cells no observation backs. Proofbook writes no status without evidence, so
 * every cell (client × host × config / listing / invocation) must come from a probe whose
 * transcript recorded something of that kind:
 * - `config`: the client's configuration was read (a `file` entry) or the client printed it (a `command`);
 * - `listing`, `invocation`: something was exchanged with the gateway or the client ran — an
 *   `http` exchange, a client `command`, a `codex.exec`, an `mcp.*` call; a file read is not enough.
 * A `skip` cell must say why, from a transcript that read or ran something (the reason was
 * observed, e.g. the client's config names one host only); a `known-limitation` cell must come from a probe that recorded the
 * documented limitation and observed it (`facts.limitation.observed`).
 */
import path from 'node:path';
import type { ProbeView } from './history.ts';
import { readContained } from './contained.ts';
import { limitationFact } from './limitation.ts';
import { MATRIX_ASPECTS, type MatrixAspect, type MatrixRow } from './client-matrix.ts';

export interface UnobservedCell {
  client: string;
  host: string;
  aspect: MatrixAspect;
  /** Why the cell is not backed, in one sentence. */
  problem: string;
}

const READS = new Set(['file', 'command']);
const EXCHANGES = (kind: string) => kind === 'http' || kind === 'command' || kind === 'exec' || kind === 'codex.exec' || kind.startsWith('mcp.');

export async function unobservedCells(options: {
  rows: MatrixRow[];
  /** Every client the matrix must cover, and every host. */
  clients: string[];
  hosts: string[];
  views: Map<string, ProbeView>;
  evaluationDir: string;
}): Promise<UnobservedCell[]> {
  const kindsOf = new Map<string, Promise<string[] | undefined>>();
  const transcriptKinds = (evidence: string) => {
    const relative = evidence.replace(/\.json$/, '.transcript.json');
    if (!kindsOf.has(relative)) kindsOf.set(relative, readKinds(options.evaluationDir, relative));
    return kindsOf.get(relative)!;
  };
  const gaps: UnobservedCell[] = [];
  for (const client of options.clients) {
    for (const host of options.hosts) {
      const row = options.rows.find((r) => r.client === client && r.host === host);
      for (const aspect of MATRIX_ASPECTS) {
        const gap = (problem: string) => gaps.push({ client, host, aspect, problem });
        const cell = row?.cells[aspect];
        if (!cell) {
          gap('no probe reported this cell');
          continue;
        }
        const kinds = await transcriptKinds(cell.evidence);
        // A skip observed why it could not run (what the probe read or ran); it must say so.
        const wanted = cell.status === 'skip' ? (kind: string) => READS.has(kind) || EXCHANGES(kind) : aspect === 'config' ? (kind: string) => READS.has(kind) : EXCHANGES;
        if (!kinds) gap(`${cell.probe}'s transcript (${path.posix.basename(cell.evidence)}) cannot be read`);
        else if (!kinds.some(wanted)) gap(`${cell.probe}'s transcript records no ${aspect === 'config' || cell.status === 'skip' ? 'read of the configuration' : 'exchange with the gateway or run of the client'} (has: ${kinds.join(', ') || 'nothing'})`);
        else if (cell.status === 'skip' && !cell.notes.some((note) => note.trim())) gap(`${cell.probe} skipped it without saying why`);
        else if (cell.status === 'known-limitation' && !limitationFact(options.views.get(cell.probe))?.observed) {
          gap(`${cell.probe} says known-limitation without a documented limitation it observed (facts.limitation)`);
        }
      }
    }
  }
  return gaps;
}

async function readKinds(evaluationDir: string, relative: string): Promise<string[] | undefined> {
  try {
    const entries = JSON.parse((await readContained(evaluationDir, relative)).toString('utf8')) as unknown;
    if (!Array.isArray(entries)) return undefined;
    return [...new Set(entries.map((entry) => (entry && typeof entry === 'object' ? String((entry as { kind?: unknown }).kind) : '')))];
  } catch {
    return undefined;
  }
}
