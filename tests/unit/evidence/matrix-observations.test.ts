/**
 * The matrix walk: a client-matrix cell counts only when its probe's transcript recorded an
 * observation of that kind. Recorded outcomes stand in for the probes (the evidence files are real,
 * written by the evidence store); the lab's full refresh is walked in tests/e2e/lab/lab.e2e.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clientMatrix } from '../../../src/evidence/client-matrix.ts';
import { probeViews } from '../../../src/evidence/history.ts';
import { unobservedCells } from '../../../src/evidence/matrix-observations.ts';
import { writeEvidence } from '../../../src/evidence/store.ts';
import type { ClientMatrixCell, ProbeOutcome, TranscriptEntry } from '../../../src/probes/types.ts';
import { Redactor } from '../../../src/secrets/redactor.ts';

let dir: string;
afterEach(async () => rm(dir, { recursive: true, force: true }));

const AT = '2026-12-01T10:00:00.000Z';
const read: TranscriptEntry = { at: AT, kind: 'file', file: 'client.json' };
const exchange: TranscriptEntry = { at: AT, kind: 'http', request: { method: 'POST', url: 'http://lan/mcp/' }, response: { status: 200 } };
const cell = (aspect: ClientMatrixCell['aspect'], status: ClientMatrixCell['status'] = 'pass', note = 'ok'): ClientMatrixCell => ({ client: 'webui', host: 'lan', aspect, status, note });

async function walk(records: { id: string; cells: ClientMatrixCell[]; transcript: TranscriptEntry[]; facts?: Record<string, unknown> }[]) {
  dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-matrix-walk-'));
  for (const record of records) {
    const outcome: ProbeOutcome = { status: 'pass', summary: 'recorded', facts: { ...record.facts, clientMatrix: record.cells }, transcript: record.transcript };
    await writeEvidence({ evaluationDir: dir, id: record.id, outcome, startedAt: AT, durationMs: 1, redactor: new Redactor() });
  }
  const views = await probeViews(dir);
  const rows = clientMatrix(views, ['lan']);
  const gaps = await unobservedCells({ rows, clients: ['webui'], hosts: ['lan'], views, evaluationDir: dir });
  return gaps.map((gap) => [gap.aspect, gap.problem]);
}

describe('unobservedCells', () => {
  it('passes a matrix whose every cell comes from a transcript of its kind', async () => {
    expect(
      await walk([
        { id: 'webui.config', cells: [cell('config')], transcript: [read] },
        { id: 'webui.invoke', cells: [cell('listing'), cell('invocation')], transcript: [exchange] },
      ]),
    ).toEqual([]);
  });

  it('flags a listing or invocation judged from a config file alone (the old hard-coded Open WebUI cell), and a missing cell', async () => {
    expect(await walk([{ id: 'webui.config', cells: [cell('config'), cell('invocation', 'known-limitation', 'catalog only')], transcript: [read] }])).toEqual([
      ['listing', 'no probe reported this cell'],
      ['invocation', "webui.config's transcript records no exchange with the gateway or run of the client (has: file)"],
    ]);
  });

  it('takes known-limitation only from a probe that observed the documented limitation, and skip only with a reason', async () => {
    const limitation = (observed: boolean) => ({ limitation: { documented: 'catalog only', observed } });
    const records = (observed: boolean, note: string) => [
      { id: 'webui.config', cells: [cell('config', 'skip', note)], transcript: [read] },
      { id: 'webui.invoke', cells: [cell('listing'), cell('invocation', 'known-limitation')], transcript: [exchange], facts: limitation(observed) },
    ];
    expect(await walk(records(true, 'checked for the other host only'))).toEqual([]);
    await rm(dir, { recursive: true, force: true });
    expect(await walk(records(false, ' '))).toEqual([
      ['config', 'webui.config skipped it without saying why'],
      ['invocation', 'webui.invoke says known-limitation without a documented limitation it observed (facts.limitation)'],
    ]);
  });

  it('takes a skipped listing from a probe that read why it could not run, not from one that recorded nothing', async () => {
    const skipped = (transcript: TranscriptEntry[]) => [
      { id: 'webui.config', cells: [cell('config')], transcript: [read] },
      { id: 'webui.other', cells: [cell('listing', 'skip', 'its connection names another host only'), cell('invocation', 'skip', 'same')], transcript },
    ];
    expect(await walk(skipped([read]))).toEqual([]);
    await rm(dir, { recursive: true, force: true });
    expect(await walk(skipped([]))).toEqual([
      ['listing', "webui.other's transcript records no read of the configuration (has: nothing)"],
      ['invocation', "webui.other's transcript records no read of the configuration (has: nothing)"],
    ]);
  });

  it('does not count a transcript it cannot read (a symbolic link is never followed)', async () => {
    const { symlink, unlink } = await import('node:fs/promises');
    const gapsBefore = await walk([{ id: 'webui.all', cells: [cell('config'), cell('listing'), cell('invocation')], transcript: [read, exchange] }]);
    expect(gapsBefore).toEqual([]);
    const views = await probeViews(dir);
    const transcript = path.join(dir, views.get('webui.all')!.evidence.replace(/\.json$/, '.transcript.json'));
    await unlink(transcript);
    await symlink('/etc/hostname', transcript);
    const gaps = await unobservedCells({ rows: clientMatrix(views, ['lan']), clients: ['webui'], hosts: ['lan'], views, evaluationDir: dir });
    expect(gaps.map((gap) => gap.problem)).toEqual(Array(3).fill(`webui.all's transcript (${path.posix.basename(views.get('webui.all')!.evidence)}) cannot be read`));
  });
});
