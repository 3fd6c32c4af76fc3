/**
 * The client matrix (client × host × config / listing / invocation), merged from the
 * `facts.clientMatrix` cells that client probes report. Several probes may speak about the
 * same cell (e.g. `codex.config` and `codex.list` both about Codex's config): the worst wins,
 * and the cell links to the evidence of the probe that decided it.
 */
import { PROBE_DEFINITIONS } from '../probes/registry.ts';
import { STATUS_SEVERITY, type ProbeStatus } from '../model/status.ts';
import type { ClientMatrixCell } from '../probes/types.ts';
import type { ProbeView } from './history.ts';

export const MATRIX_ASPECTS = ['config', 'listing', 'invocation'] as const;
export type MatrixAspect = (typeof MATRIX_ASPECTS)[number];

/** The clients the registry's client probes speak for (their `client`), in registry order, with their probes. */
const CLIENTS = new Map<string, { name: string; probes: string[] }>();
for (const definition of PROBE_DEFINITIONS) {
  if (!definition.client) continue;
  const client = CLIENTS.get(definition.client.id) ?? { name: definition.client.name, probes: [] };
  client.probes.push(definition.id);
  CLIENTS.set(definition.client.id, client);
}

/** Every client the registry knows, in display order (others a probe reports follow alphabetically). */
export const CLIENT_ORDER = [...CLIENTS.keys()];

/** The first probe of every known client (`codex.config, openwebui.config, …`): what to run for a first matrix. */
export const FIRST_CLIENT_PROBES = [...CLIENTS.values()].map((client) => client.probes[0]!);

export interface MatrixEntry {
  status: ProbeStatus;
  notes: string[];
  /** Probe whose cell decided the status, and its evidence file (relative to the evaluation folder). */
  probe: string;
  evidence: string;
}

export interface MatrixRow {
  client: string;
  host: string;
  cells: Partial<Record<MatrixAspect, MatrixEntry>>;
}

function isCell(value: unknown): value is ClientMatrixCell {
  if (!value || typeof value !== 'object') return false;
  const cell = value as Record<string, unknown>;
  return (
    typeof cell.client === 'string' &&
    typeof cell.host === 'string' &&
    MATRIX_ASPECTS.includes(cell.aspect as MatrixAspect) &&
    typeof cell.status === 'string' &&
    Object.hasOwn(STATUS_SEVERITY, cell.status)
  );
}

/**
 * Rows for every (client, host) any probe reported, in a stable order: known clients first,
 * hosts in `hostOrder` (the config's order) first.
 */
export function clientMatrix(views: Map<string, ProbeView>, hostOrder: string[] = []): MatrixRow[] {
  const rows = new Map<string, MatrixRow>();
  const seenHosts: string[] = [];
  const probeIds = [...views.keys()].sort();
  for (const id of probeIds) {
    const view = views.get(id)!;
    const cells = (view.facts as { clientMatrix?: unknown }).clientMatrix;
    if (!Array.isArray(cells)) continue;
    for (const cell of cells.filter(isCell)) {
      if (!seenHosts.includes(cell.host)) seenHosts.push(cell.host);
      const key = `${cell.client}\u0000${cell.host}`;
      const row = rows.get(key) ?? { client: cell.client, host: cell.host, cells: {} };
      rows.set(key, row);
      const current = row.cells[cell.aspect];
      const notes = cell.note ? [cell.note] : [];
      if (!current || STATUS_SEVERITY[cell.status] > STATUS_SEVERITY[current.status]) {
        row.cells[cell.aspect] = { status: cell.status, notes: [...notes, ...(current?.notes ?? [])], probe: id, evidence: view.evidence };
      } else if (notes.length && !current.notes.includes(notes[0]!)) {
        current.notes.push(notes[0]!);
      }
    }
  }
  const rank = (list: string[], value: string) => (list.includes(value) ? list.indexOf(value) : list.length);
  // Hosts the config does not name keep the order probes first reported them in.
  const hosts = [...hostOrder, ...seenHosts.filter((h) => !hostOrder.includes(h))];
  return [...rows.values()].sort(
    (a, b) =>
      rank(CLIENT_ORDER, a.client) - rank(CLIENT_ORDER, b.client) ||
      a.client.localeCompare(b.client) ||
      rank(hosts, a.host) - rank(hosts, b.host),
  );
}

/** How tables name a client; unknown ids are shown as they are. */
export const clientName = (id: string): string => CLIENTS.get(id)?.name ?? id;
