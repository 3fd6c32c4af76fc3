/** A stored upgrade preview (src/upgrade/preview.ts) for renderer and dashboard tests: two probes change, two do not, one client cell changes, one config key is gone. */
import type { UpgradePreview } from '../../src/upgrade/preview.ts';

export function fixturePreview(overrides: Partial<UpgradePreview> = {}): UpgradePreview {
  const to = overrides.to ?? '1.110.2';
  return {
    schema: 1,
    from: '1.77.1',
    to,
    ranAt: '2026-12-03T10:00:00.000Z',
    labUpMs: 41_000,
    probesMs: 12_500,
    probes: [
      {
        id: 'traefik.labels',
        before: { status: 'pass', summary: '2 routers', evidence: 'traefik.labels/2026-12-01T00-00-00-000Z.json' },
        after: { status: 'pass', summary: '2 routers', evidence: `upgrade-preview/${to}/traefik.labels/2026-12-03T10-00-00-000Z.json` },
        cleared: [],
        added: [],
        change: 'same',
      },
      {
        id: 'gateway.auth',
        before: { status: 'warn', summary: 'no key: HTTP 500', evidence: 'gateway.auth/2026-12-01T00-00-00-000Z.json' },
        after: { status: 'pass', summary: 'no key: 401 on every host', evidence: `upgrade-preview/${to}/gateway.auth/2026-12-03T10-00-00-000Z.json` },
        cleared: [{ severity: 'warn', code: 'auth.status', message: 'no key: HTTP 500 at http://litellm.lan/mcp/' }],
        added: [],
        change: 'changed',
      },
      {
        id: 'mcp.catalog',
        before: { status: 'pass', summary: '3 tools via lan', evidence: 'mcp.catalog/2026-12-01T00-00-00-000Z.json' },
        after: { status: 'fail', summary: '0 tools via lan', evidence: `upgrade-preview/${to}/mcp.catalog/2026-12-03T10-00-00-000Z.json` },
        cleared: [],
        added: [],
        change: 'changed',
      },
      {
        id: 'gateway.health',
        before: { status: 'pass', summary: 'live and ready', evidence: 'gateway.health/2026-12-01T00-00-00-000Z.json' },
        after: { status: 'pass', summary: 'live and ready', evidence: `upgrade-preview/${to}/gateway.health/2026-12-03T10-00-00-000Z.json` },
        cleared: [],
        added: [],
        change: 'same',
      },
    ],
    cells: [
      { client: 'codex', host: 'lan', aspect: 'listing', before: 'pass', after: 'pass', evidence: `upgrade-preview/${to}/codex.list/2026-12-03T10-00-00-000Z.json`, evidenceBefore: 'codex.list/2026-12-01T00-00-00-000Z.json' },
      { client: 'codex', host: 'lan', aspect: 'invocation', before: 'pass', after: 'fail', evidence: `upgrade-preview/${to}/codex.invoke/2026-12-03T10-00-00-000Z.json`, evidenceBefore: 'codex.invoke/2026-12-01T00-00-00-000Z.json' },
    ],
    configCompatibility: [{ severity: 'warn', code: 'config.key.removed', message: 'litellm_settings.mcp_aliases is no longer read', file: 'lab/config.yaml', line: 14 }],
    ...overrides,
  };
}
