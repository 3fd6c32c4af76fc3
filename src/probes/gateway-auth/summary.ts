/**
 * The one-line summary of `gateway.auth`: the problems when it fails; else what was refused on
 * which hosts, and the answers that were not a plain 401/403, grouped across hosts.
 */
import { failsThenWarnings, formatFinding } from '../../model/findings.ts';
import type { ProbeStatus } from '../../model/status.ts';
import { listText } from '../kit/live-http.ts';
import type { AuthAttemptFact, GatewayAuthFacts } from './facts.ts';

export function summarize(facts: GatewayAuthFacts, status: ProbeStatus): string {
  if (status === 'fail') return failsThenWarnings(facts.findings).map(formatFinding).join('; ');
  const hosts = listText([...new Set(facts.checks.map((c) => c.host))]);
  const paths = [...new Set(facts.checks.map((c) => c.path))].join(', ');
  const { odd, accepted } = oddAnswers(facts);
  // Warnings that are not about a single answer (e.g. the key lists no tools).
  const other = facts.findings.filter((f) => f.severity === 'warn' && !f.code?.startsWith('auth.')).map(formatFinding);
  const tail = [validKeyText(facts), ...other].filter(Boolean).map((t) => `; ${t}`).join('');
  if (!odd.length) return `no key and a wrong key are refused with 401/403 on ${hosts} (${paths})${tail}`;
  const lead = accepted
    ? `nothing is listed without a valid key on ${hosts}, but not every request without one is refused`
    : status === 'warn'
      ? `nothing is listed without a valid key on ${hosts}, but not every refusal is a 401/403`
      : `nothing is listed without a valid key on ${hosts}`;
  return `${lead}: ${odd.join('; ')}${tail}`;
}

function validKeyText({ validKey }: GatewayAuthFacts): string {
  if (!validKey.length || !validKey.every((v) => v.ok)) return '';
  const tools = [...new Set(validKey.map((v) => v.tools))];
  return tools.length === 1
    ? `the configured key lists ${tools[0]} tools`
    : `the configured key lists ${validKey.map((v) => `${v.tools} tools on ${v.host}`).join(', ')}`;
}

/** Answers other than 401/403, grouped across hosts: `/mcp/ answers HTTP 500 "MCP request failed" to no key and a wrong key (lan, external)`. */
function oddAnswers(facts: GatewayAuthFacts): { odd: string[]; accepted: boolean } {
  const groups = new Map<string, string[]>();
  let accepted = false;
  for (const check of facts.checks) {
    const same = check.noKey.status === check.wrongKey.status && check.noKey.reason === check.wrongKey.reason && check.noKey.outcome === check.wrongKey.outcome;
    const describe = (a: AuthAttemptFact, which: string): string | undefined => {
      if (a.outcome === 'accepted') {
        accepted = true;
        return `${check.path} accepts ${which} (HTTP ${a.status}) but lists nothing`;
      }
      return a.outcome === 'refused-misleading' ? `${check.path} answers HTTP ${a.status}${a.reason ? ` "${a.reason}"` : ''} to ${which}` : undefined;
    };
    const parts = same ? [describe(check.noKey, 'no key and a wrong key')] : [describe(check.noKey, 'no key'), describe(check.wrongKey, 'a wrong key')];
    for (const part of parts) if (part) groups.set(part, [...(groups.get(part) ?? []), check.host]);
  }
  return { odd: [...groups].map(([text, on]) => `${text} (${on.join(', ')})`), accepted };
}
