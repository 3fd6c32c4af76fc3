/**
 * Reads what `claude mcp list` prints. It has no JSON output and exits 0 whatever the servers
 * did, so the text is the verdict: one line per server, `<name>: <target> - <mark> <status>`
 * (`✔ Connected`, `✘ Failed to connect — <reason>`, `⏸ Pending approval …`), then, when the
 * configs have problems, "MCP config diagnostics" with one `└ [Warning] …` / `└ [Error] …` line each.
 */
import type { ClaudeListedServer } from './facts.ts';

const SERVER_LINE = /^(?<name>[^\s:][^:]*): (?<target>.*?) - (?<mark>[^\sA-Za-z0-9]) (?<status>.*)$/u;
const DIAGNOSTIC_LINE = /^\s*└\s*(?<text>\[(?:Warning|Error)\].*)$/u;

export interface Listing {
  servers: ClaudeListedServer[];
  diagnostics: string[];
}

export function parseListing(stdout: string): Listing {
  const servers: ClaudeListedServer[] = [];
  const diagnostics: string[] = [];
  for (const line of stdout.split('\n').map((l) => l.replace(/\r$/, ''))) {
    const diagnostic = DIAGNOSTIC_LINE.exec(line);
    if (diagnostic) {
      diagnostics.push(diagnostic.groups!.text!.trim());
      continue;
    }
    const server = SERVER_LINE.exec(line);
    if (!server) continue;
    const { name, target, mark, status } = server.groups!;
    servers.push({ name: name!, target: target!, state: stateOf(mark!, status!), status: status!.trim() });
  }
  return { servers, diagnostics };
}

function stateOf(mark: string, status: string): ClaudeListedServer['state'] {
  if (mark === '✔' || /^Connected\b/.test(status)) return 'connected';
  if (/Needs authentication/i.test(status)) return 'needs-auth';
  if (mark === '⏸' || /^Pending approval/i.test(status)) return 'pending-approval';
  if (mark === '✘' || /^Failed\b/.test(status)) return 'failed';
  return 'other';
}

/** Claude Code's reason after `Failed to connect — `, or the whole status. */
export function failureReason(status: string): string {
  return status.replace(/^Failed to connect\s*[—–-]\s*/, '');
}

/** What usually causes a failure Claude Code reports, and the fix. */
export function failureHint(reason: string, variables: string[]): string {
  if (/HTTP (401|403)\b|HTTP 500\b.*MCP request failed|Dynamic Client Registration rejected/.test(reason)) {
    return `the gateway refused the key: check that ${variables.length ? variables.map((v) => `\${${v}}`).join(', ') : 'the key header'} holds a valid LiteLLM key ` +
      '(LiteLLM 1.77.1 answers a wrong key with HTTP 500 "MCP request failed")';
  }
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(reason)) return 'the host name does not resolve where Claude Code runs: check DNS (or the host\'s resolveTo)';
  if (/ECONNREFUSED|Unable to connect/.test(reason)) return 'nothing listens at that address: check that Traefik runs and the URL\'s port';
  if (/HTTP 404\b/.test(reason)) return 'nothing serves MCP at that URL: check the path (LiteLLM: /mcp/) and the Traefik router for the host';
  if (/certificate|self[- ]signed|CERT_|UNABLE_TO_VERIFY/i.test(reason)) return 'Claude Code does not trust the certificate: set NODE_EXTRA_CA_CERTS to the CA (the host\'s caFile)';
  return '';
}
