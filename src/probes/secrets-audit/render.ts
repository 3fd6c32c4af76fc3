/**
 * Renders the `secrets.audit` region: where each secret comes from (never its value), and the
 * restart procedure after a change.
 */
import type { RootContent } from 'mdast';
import type { SecretsAuditFacts } from './facts.ts';
import type { ProbeView } from '../types.ts';
import { statusLine, type RegionOptions, type RegionRenderer, type RenderContext } from '../kit/render/status.ts';
import { code, codeList, findingsList, table } from '../kit/render/table.ts';

export const renderSecretsSources: RegionRenderer = (view: ProbeView<SecretsAuditFacts>, context: RenderContext, region: RegionOptions = { options: {} }): RootContent[] => {
  const facts = view.facts;
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
};
