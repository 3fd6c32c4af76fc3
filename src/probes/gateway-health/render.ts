/** Renders the `gateway.health` region: per host, LiteLLM's liveliness and readiness through the route, and its version. */
import type { RootContent } from 'mdast';
import type { GatewayHealthFacts, HealthCheckFact, ReadinessFact } from './facts.ts';
import type { ProbeView } from '../types.ts';
import { statusLine, type RegionRenderer, type RenderContext } from '../kit/render/status.ts';
import { curlKeyOption } from '../kit/gateway-key.ts';
import { findingsList, table, type Cell } from '../kit/render/table.ts';

export const renderHealth: RegionRenderer = (view: ProbeView<Partial<GatewayHealthFacts>>, context: RenderContext): RootContent[] => {
  const facts = view.facts;
  const hosts = facts.hosts ?? [];
  const rows: Cell[][] = hosts.map((host) => [
    host.host,
    checkCell(host.liveliness, '❌'),
    readinessCell(host.readiness, host.liveliness?.ok ? '⚠️' : '❌'),
    host.version ?? '—',
  ]);
  const nodes: RootContent[] = [{ type: 'paragraph', children: statusLine(view, context) }];
  if (rows.length) nodes.push(table(['Host', 'Liveliness', 'Readiness', 'Version'], rows));
  nodes.push(...findingsList(facts.findings));
  if (hosts.length) {
    // With the key header when the probe sent it: a router gated on it answers 404 without (the variable, never the value).
    const key = facts.keySent ? `${curlKeyOption(facts.keyEnvVar ?? 'LITELLM_MASTER_KEY')} ` : '';
    // The details endpoint, when readiness did not report the version (LiteLLM 1.110.2): it needs the key.
    const details = (h: (typeof hosts)[number]) => h.versionFrom ?? h.versionCheck?.url;
    const curls = hosts.flatMap((h) => [h.liveliness?.url, h.readiness?.url, details(h)].filter(Boolean).map((url) => `curl -sS -w ' %{http_code}\\n' ${key}${url}`));
    const intro = hosts.some(details)
      ? 'Reproduce (LiteLLM needs the key only for the details endpoint; Traefik may route on it):'
      : facts.keySent
        ? 'Reproduce (LiteLLM needs no key here; Traefik may route on it):'
        : 'Reproduce (no key needed):';
    nodes.push(
      { type: 'paragraph', children: [{ type: 'text', value: intro }] },
      { type: 'code', lang: 'bash', value: curls.join('\n') },
    );
  }
  return nodes;
};

function checkCell(check: HealthCheckFact | undefined, failMark: string): string {
  if (!check) return '—';
  if (check.ok) return `✅ ${check.status}`;
  if (check.status === undefined) return `${failMark} no answer (${check.error ?? 'unknown error'})`;
  return `${failMark} ${check.status}${check.reason ? ` ${check.reason}` : ''}`;
}

function readinessCell(check: ReadinessFact | undefined, failMark: string): string {
  const base = checkCell(check, failMark);
  const detail = [check?.state, check?.db ? `db: ${check.db}` : undefined].filter(Boolean).join(', ');
  return detail ? `${base} (${detail})` : base;
}
