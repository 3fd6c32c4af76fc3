import { describe, expect, it } from 'vitest';
import { upgradePreviewLines } from '../../../src/cli/format/upgrade-preview.ts';
import type { UpgradePreview } from '../../../src/upgrade/preview.ts';

const preview: UpgradePreview = {
  schema: 1,
  from: '1.77.1',
  to: '1.110.2',
  ranAt: '2026-12-03T18:00:00.000Z',
  labUpMs: 41_230,
  probesMs: 30_100,
  probes: [
    {
      id: 'gateway.auth',
      before: { status: 'warn', summary: 'no key: 500', evidence: 'gateway.auth/a.json' },
      after: { status: 'pass', summary: 'no key: 401', evidence: 'upgrade-preview/1.110.2/gateway.auth/b.json' },
      cleared: [{ severity: 'warn', code: 'auth.status', message: 'lan: no key answered HTTP 500, not 401' }],
      added: [],
      change: 'changed',
    },
    {
      id: 'mcp.catalog',
      before: { status: 'warn', summary: 'SSE served by the streamable handler', evidence: 'mcp.catalog/a.json' },
      after: { status: 'pass', summary: '3 tools; SSE endpoint event', evidence: 'upgrade-preview/1.110.2/mcp.catalog/b.json' },
      cleared: [],
      added: [],
      change: 'changed',
    },
    { id: 'traefik.labels', before: { status: 'pass', summary: 'ok', evidence: 'x' }, after: { status: 'pass', summary: 'ok', evidence: 'y' }, cleared: [], added: [], change: 'same' },
  ],
  cells: [
    { client: 'codex', host: 'lan', aspect: 'invocation', before: 'pass', after: 'pass' },
    { client: 'openwebui', host: 'lan', aspect: 'listing', before: 'pass', after: 'fail', evidence: 'upgrade-preview/1.110.2/openwebui.list/b.json' },
  ],
  configCompatibility: [
    { severity: 'warn', code: 'config.key.dropped', message: 'LiteLLM 1.110.2 never names general_settings.proxy_admin_email', file: 'lab/config.yaml', line: 30, column: 3 },
    { severity: 'info', code: 'config.key.new', message: 'only 1.110.2 names general_settings.x', file: 'lab/config.yaml', line: 31, column: 3 },
  ],
};

describe('upgradePreviewLines', () => {
  it('lists the changed probes with what cleared, the changed cells and the config keys; unchanged probes on one line', () => {
    expect(upgradePreviewLines(preview, 'evaluation/upgrade-preview/1.110.2')).toEqual([
      'upgrade preview: LiteLLM 1.77.1 → 1.110.2 (second lab up in 41.2 s, 3 probes in 30.1 s): 2 probes change',
      '  gateway.auth  warn → pass',
      '      cleared: lan: no key answered HTTP 500, not 401',
      '  mcp.catalog   warn → pass',
      '      now: 3 tools; SSE endpoint event',
      '  unchanged: traefik.labels',
      'client matrix cells that change:',
      '  Open WebUI × lan × listing: pass → fail',
      'config.yaml: 1 thing to change for LiteLLM 1.110.2:',
      '  warn: lab/config.yaml:30:3: LiteLLM 1.110.2 never names general_settings.proxy_admin_email',
      '  note: lab/config.yaml:31:3: only 1.110.2 names general_settings.x',
      'evidence: evaluation/upgrade-preview/1.110.2/ (preview.json; the current evidence and plan items are untouched)',
    ]);
  });
});
