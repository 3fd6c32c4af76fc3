/**
 * Renders the `secrets.audit` region: where each secret comes from (never its value), and the
 * restart procedure after a change.
 */
import type { RootContent } from 'mdast';
import type { ProbeView } from '../evidence/history.ts';
import type { SecretsAuditFacts } from '../probes/secrets-audit/probe.ts';
import { statusLine, type RenderContext } from '../probes/kit/render/status.ts';
import { code, codeList, findingsList, table } from '../probes/kit/render/table.ts';

export function renderSecretsSources(view: ProbeView, context: RenderContext, region: { options: Record<string, string> }): RootContent[] {
  const facts = view.facts as unknown as SecretsAuditFacts;
  const rows = (facts.files ?? []).map((file) => [
    code(file.file),
    file.keys.length ? codeList(file.keys.map((k) => k.key)) : '—',
    file.example ? code(file.example) : '—',
    file.mode ?? '—',
    file.git ?? '—',
  ]);
  // The service to restart is named by the region's `service=` option (default litellm).
  const service = region.options.service ?? 'litellm';
  return [
    { type: 'paragraph', children: statusLine(view, context) },
    table(['Secrets file', 'Keys (values never shown)', 'Example', 'Mode', 'Git'], rows),
    ...findingsList(facts.findings),
    { type: 'paragraph', children: [{ type: 'text', value: 'After changing a secrets file, restart the gateway so it reads the new values, then prove it:' }] },
    {
      type: 'code',
      lang: 'bash',
      value: `docker compose up -d --force-recreate ${service}   # env_file values are read at container start\nnpm run refresh-docs`,
    },
  ];
}
