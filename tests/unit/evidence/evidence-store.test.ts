/**
 * What the evidence store keeps of a probe's summary (issue 13, low 18): one line of bounded
 * length, whatever the server answered; the whole answer stays in the transcript.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/refresh-docs.ts';
import { MAX_SUMMARY_LENGTH, writeEvidence } from '../../../src/evidence/store.ts';
import type { Probe } from '../../../src/probes/types.ts';
import { createOfflineWorkspace } from '../../helpers/offline-workspace.ts';
import { Redactor } from '../../../src/secrets/redactor.ts';

const made: string[] = [];
afterAll(async () => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('evidence summaries', () => {
  it('an invalid JSON-RPC answer quoted in a summary becomes one bounded line; the transcript keeps it whole', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-store-'));
    made.push(dir);
    const answer = Array.from({ length: 120 }, (_, i) => `<div class="line-${i}">Internal Server Error</div>`).join('\n');
    const result = await writeEvidence({
      evaluationDir: dir,
      id: 'mcp.invoke',
      outcome: { status: 'fail', summary: `mcp_postgres query: invalid JSON-RPC answer: ${answer}`, facts: {}, transcript: [{ at: '2026-12-01T00:00:00.000Z', kind: 'http', body: answer }] },
      startedAt: '2026-12-01T00:00:00.000Z',
      durationMs: 5,
      redactor: new Redactor(),
    });
    expect(result.summary).not.toContain('\n');
    expect(result.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
    expect(result.summary).toMatch(/^mcp_postgres query: invalid JSON-RPC answer: <div class="line-0">Internal Server Error<\/div> <div/);
    expect(result.summary.endsWith('…')).toBe(true);
    const transcript = await readFile(path.join(dir, result.evidence.transcript), 'utf8');
    expect(transcript).toContain('line-119');
  });

  it('escape sequences a server put in a summary reach the console as visible symbols, never as terminal control', async () => {
    const workspace = await createOfflineWorkspace();
    made.push(workspace.dir);
    // A probe standing in for one that quotes a hostile server's answer.
    const quoting: Probe = {
      id: 'mcp.catalog',
      run: async () => ({ status: 'fail', summary: 'tools/list answered \u001b]0;owned\u0007\u001b[2J\u001b[31mOK', facts: {}, transcript: [] }),
    };
    const stdout: string[] = [];
    await main({ argv: ['--config', workspace.configPath], probes: [quoting], stdout: (l) => stdout.push(l), stderr: () => {}, lockWaitMs: 1000 });
    const printed = stdout.join('\n');
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(printed).toContain('tools/list answered ␛]0;owned␇␛[2J␛[31mOK');
  });
});
