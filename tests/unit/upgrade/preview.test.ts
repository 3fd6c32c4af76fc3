import { describe, expect, it } from 'vitest';
import type { ProbeView } from '../../../src/evidence/history.ts';
import { comparePreview } from '../../../src/upgrade/preview.ts';

const view = (id: string, status: ProbeView['status'], facts: Record<string, unknown> = {}, summary = `${id} ${status}`): ProbeView => ({
  id,
  status,
  summary,
  facts,
  since: '2026-12-01T00:00:00.000Z',
  evidence: `${id}/2026-12-01T00-00-00Z.json`,
  lastRun: '2026-12-01T00:00:00.000Z',
});

const auth500 = { severity: 'warn', code: 'auth.status', message: 'no key: HTTP 500 at http://litellm.lan:18080/mcp/' } as const;
const auth500Preview = { ...auth500, message: 'no key: HTTP 500 at http://litellm.lan:28080/mcp/' };
const label = { severity: 'fail', code: 'router.missing-host', message: 'no Host rule', file: 'docker-compose.yml', line: 12 } as const;

describe('comparePreview', () => {
  it('reports cleared and new findings and status changes per probe, with the preview evidence under its folder', () => {
    const before = new Map([
      ['gateway.auth', view('gateway.auth', 'warn', { findings: [auth500] })],
      ['traefik.labels', view('traefik.labels', 'fail', { findings: [label] })],
    ]);
    const after = new Map([
      ['gateway.auth', view('gateway.auth', 'pass', { findings: [] })],
      ['traefik.labels', view('traefik.labels', 'fail', { findings: [label] })],
      ['mcp.catalog', view('mcp.catalog', 'pass', { findings: [{ severity: 'info', message: 'SSE endpoint event' }] })],
    ]);
    const { probes } = comparePreview({ before, after, previewPrefix: 'upgrade-preview/1.110.2', order: ['traefik.labels', 'gateway.auth', 'mcp.catalog'], hosts: [] });
    expect(probes.map((p) => [p.id, p.before?.status, p.after?.status, p.change])).toEqual([
      ['traefik.labels', 'fail', 'fail', 'same'],
      ['gateway.auth', 'warn', 'pass', 'changed'],
      ['mcp.catalog', undefined, 'pass', 'changed'],
    ]);
    expect(probes[1]!.cleared).toEqual([auth500]);
    expect(probes[1]!.added).toEqual([]);
    expect(probes[1]!.after!.evidence).toBe('upgrade-preview/1.110.2/gateway.auth/2026-12-01T00-00-00Z.json');
    expect(probes[1]!.before!.evidence).toBe('gateway.auth/2026-12-01T00-00-00Z.json');
    expect(probes[2]!.added).toHaveLength(1);
  });

  it('treats a finding that differs only in the second lab’s port as the same finding', () => {
    const before = new Map([['gateway.auth', view('gateway.auth', 'warn', { findings: [auth500] })]]);
    const after = new Map([['gateway.auth', view('gateway.auth', 'warn', { findings: [auth500Preview] })]]);
    const plain = comparePreview({ before, after, previewPrefix: 'p', order: [], hosts: [] });
    expect(plain.probes[0]!.change).toBe('changed');
    const mapped = comparePreview({ before, after, previewPrefix: 'p', order: [], hosts: [], normalise: (t) => t.replaceAll(':28080', ':18080') });
    expect(mapped.probes[0]).toMatchObject({ change: 'same', cleared: [], added: [] });
  });

  it('treats a finding in the second lab’s copy of a file as the same finding (the file is mapped back too)', () => {
    const codex = { severity: 'warn', code: 'codex.key-env', message: 'LITELLM_MASTER_KEY is set in .lab/secrets/litellm.env:2', file: '.lab/codex/config.toml', line: 30 } as const;
    const before = new Map([['codex.config', view('codex.config', 'pass', { findings: [codex] })]]);
    const after = new Map([['codex.config', view('codex.config', 'pass', { findings: [{ ...codex, file: '.lab-preview-1.110.2/codex/config.toml' }] })]]);
    const normalise = (t: string) => t.replaceAll('.lab-preview-1.110.2', '.lab');
    expect(comparePreview({ before, after, previewPrefix: 'p', order: [], hosts: [], normalise }).probes[0]).toMatchObject({ change: 'same', cleared: [], added: [] });
  });

  it('lists client-matrix cells with their status before and after, each with the run it was read from', () => {
    const cell = (aspect: string, status: string, host = 'lan') => ({ client: 'openwebui', host, aspect, status });
    const before = new Map([['openwebui.invoke', view('openwebui.invoke', 'known-limitation', { clientMatrix: [cell('invocation', 'known-limitation')] })]]);
    const after = new Map([['openwebui.invoke', view('openwebui.invoke', 'pass', { clientMatrix: [cell('invocation', 'pass'), cell('invocation', 'pass', 'external')] })]]);
    const { cells } = comparePreview({ before, after, previewPrefix: 'upgrade-preview/9.9.9', order: [], hosts: ['lan', 'external'] });
    expect(cells).toEqual([
      { client: 'openwebui', host: 'lan', aspect: 'invocation', before: 'known-limitation', after: 'pass', evidence: 'upgrade-preview/9.9.9/openwebui.invoke/2026-12-01T00-00-00Z.json', evidenceBefore: 'openwebui.invoke/2026-12-01T00-00-00Z.json' },
      { client: 'openwebui', host: 'external', aspect: 'invocation', after: 'pass', evidence: 'upgrade-preview/9.9.9/openwebui.invoke/2026-12-01T00-00-00Z.json' },
    ]);
  });
});
