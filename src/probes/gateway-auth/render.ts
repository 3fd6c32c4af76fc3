/** Renders the `gateway.auth` region: per host and endpoint, what a request with no key and with a wrong key gets. */
import type { RootContent } from 'mdast';
import type { AuthAttemptFact, AuthCheckFact, GatewayAuthFacts } from './facts.ts';
import type { ProbeView } from '../types.ts';
import { STATUS_MARK, statusLine, type RegionRenderer, type RenderContext } from '../kit/render/status.ts';
import { code, findingsList, table, type Cell } from '../kit/render/table.ts';

export const renderAuth: RegionRenderer = (view: ProbeView<Partial<GatewayAuthFacts>>, context: RenderContext): RootContent[] => {
  const facts = view.facts;
  const checks = facts.checks ?? [];
  const rows: Cell[][] = checks.map((check) => [
    check.external ? `${check.host} (internet-facing)` : check.host,
    code(check.path),
    attemptCell(check.noKey),
    attemptCell(check.wrongKey),
    `${STATUS_MARK[check.verdict]} ${verdictText(check)}`,
  ]);
  const nodes: RootContent[] = [{ type: 'paragraph', children: statusLine(view, context) }];
  if (rows.length) nodes.push(table(['Host', 'Endpoint', 'No key', 'Wrong key', 'Verdict'], rows));
  const validKey = facts.validKey ?? [];
  if (validKey.length) {
    const source = facts.keySource ? ` (from ${facts.keySource})` : '';
    const results = validKey.map((v) =>
      v.ok ? `${v.host}: ✅ ${v.status}, ${v.tools} tools` : `${v.host}: ❌ ${v.status ?? 'no answer'}${v.reason ? ` ${v.reason}` : ''}`,
    );
    nodes.push({
      type: 'paragraph',
      children: [
        { type: 'text', value: 'With the configured key ' },
        ...code(facts.keyEnvVar ?? 'key'),
        { type: 'text', value: `${source}, ` },
        ...code(validKey[0]!.url.replace(/^https?:\/\/[^/]+/, '')),
        { type: 'text', value: ` answers — ${results.join('; ')}.` },
      ],
    });
  }
  nodes.push(...findingsList(facts.findings));
  if (checks.length) {
    const header = (facts.keyHeader ?? 'authorization') === 'authorization' ? 'Authorization' : facts.keyHeader!;
    const curls = [...new Set(checks.map((c) => c.host))].flatMap((host) => {
      const mcp = checks.find((c) => c.host === host && c.endpoint === 'mcp');
      const rest = checks.find((c) => c.host === host && c.endpoint === 'rest');
      return [
        ...(rest ? [`curl -sS -w ' %{http_code}\\n' ${rest.url}`, `curl -sS -w ' %{http_code}\\n' -H '${header}: Bearer sk-wrong-key' ${rest.url}`] : []),
        ...(mcp
          ? [
              `curl -sS -w ' %{http_code}\\n' -X POST ${mcp.url} -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' ` +
                `-d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'`,
            ]
          : []),
      ];
    });
    nodes.push(
      { type: 'paragraph', children: [{ type: 'text', value: 'Reproduce without a valid key:' }] },
      { type: 'code', lang: 'bash', value: curls.join('\n') },
    );
  }
  return nodes;
};

function verdictText(check: AuthCheckFact): string {
  const outcomes = [check.noKey?.outcome, check.wrongKey?.outcome];
  if (outcomes.includes('listed')) return 'open: lists tools without a valid key';
  if (outcomes.includes('unreachable')) return 'not checked';
  if (outcomes.includes('accepted')) return 'accepted without a valid key';
  if (outcomes.includes('refused-misleading')) return 'refused, but not with 401/403';
  return 'refused';
}

const OUTCOME: Record<AuthAttemptFact['outcome'], string> = {
  refused: 'refused',
  'refused-misleading': 'refused',
  accepted: 'accepted, nothing listed',
  listed: 'LISTS TOOLS',
  unreachable: 'not checked',
};

function attemptCell(attempt: AuthAttemptFact | undefined): string {
  if (!attempt) return '—';
  if (attempt.status === undefined) return `no answer (${attempt.error ?? 'unknown error'})`;
  const what = attempt.outcome === 'listed' ? `${OUTCOME.listed} (${attempt.tools})` : OUTCOME[attempt.outcome];
  return `${attempt.status} ${what}${attempt.reason ? `: ${attempt.reason}` : ''}`;
}
