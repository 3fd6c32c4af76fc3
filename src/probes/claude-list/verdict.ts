/**
 * What a `claude mcp list` run means for `claude.list`: a finding per server Claude Code could
 * not connect to (at its `.mcp.json` line, with Claude Code's reason and the usual cause), per
 * config diagnostic and per unset variable; and one listing cell per host the file's servers use:
 * pass when Claude Code connected to every server on it, fail with its words otherwise, skip when
 * Claude Code could not be pointed at the host's `resolveTo` (see ./environment.ts). Connected is
 * not enough when Claude Code adds that it could not fetch the server's tools (`✔ Connected · tools
 * fetch failed — Request timed out`, seen on LiteLLM 1.110.2 under load): it then offers none of
 * them, so that server warns.
 */
import type { Config } from '../config.ts';
import type { Findings } from '../kit/findings.ts';
import { shorten } from '../kit/matrix-notes.ts';
import type { ClientMatrixCell } from '../types.ts';
import type { ClaudeListedServer } from './facts.ts';
import { failureHint, failureReason, type Listing } from './listing.ts';

/** A server of the team's file: its name, the config host its URL is on, the line it starts at. */
export interface FileServer {
  name: string;
  url?: string;
  host?: string;
  line: number;
}

export interface ListingToJudge {
  config: Config;
  listing: Listing;
  fileServers: FileServer[];
  /** Variables the file reads (for the hint on a refused key). */
  variables: string[];
  /** Host name → why Claude Code could not be pointed at it. */
  unreachable: Record<string, string>;
  findings: Findings;
}

/** The listed servers with their hosts, the findings added, and the cells. */
export function judgeListing(input: ListingToJudge): { servers: ClaudeListedServer[]; cells: ClientMatrixCell[] } {
  const { listing, fileServers, findings, unreachable } = input;
  const byName = new Map(fileServers.map((s) => [s.name, s]));
  const servers = listing.servers.map((s) => {
    const host = byName.get(s.name)?.host;
    return host ? { ...s, host } : s;
  });
  for (const server of servers) {
    const line = byName.get(server.name)?.line;
    if (server.state === 'connected') {
      const toolsFailed = toolsFetchFailure(server.status);
      if (toolsFailed) {
        findings.warn('server.tools', `claude mcp list: ${server.name} ✔ ${server.status} — Claude Code connected but could not fetch the server's tools (${toolsFailed}), so it offers none; see mcp.catalog and the gateway's log`, line);
      }
      continue;
    }
    if (server.host && unreachable[server.host]) {
      findings.info('host.unreachable', `${server.name}: ${unreachable[server.host]}; not scored (Claude Code said: ${server.status})`, line);
    } else if (server.state === 'failed') {
      const reason = failureReason(server.status);
      const hint = failureHint(reason, input.variables);
      findings.fail('server.failed', `claude mcp list: ${server.name} ✘ ${server.status}${hint ? ` — ${hint}` : ''}`, line);
    } else if (server.state === 'pending-approval') {
      findings.fail('server.pending', `claude mcp list: ${server.name} ⏸ ${server.status}, although the temporary HOME trusts the project and approves it`, line);
    } else if (server.state === 'needs-auth') {
      findings.fail('server.needs-auth', `claude mcp list: ${server.name}: ${server.status} — the gateway answered as if no key was sent; check its key header`, line);
    } else {
      findings.warn('server.status', `claude mcp list: ${server.name}: ${server.status}`, line);
    }
  }
  for (const server of fileServers) {
    if (!servers.some((s) => s.name === server.name)) findings.fail('server.not-listed', `claude mcp list does not show ${server.name} of the file`, server.line);
  }
  for (const diagnostic of listing.diagnostics) {
    if (diagnostic.startsWith('[Error]')) findings.fail('config.error', `Claude Code: ${diagnostic}`);
    else findings.warn('config.warning', `Claude Code: ${diagnostic}`);
  }
  return { servers, cells: listingCells(input.config, servers, unreachable) };
}

const MARKS: Record<ClaudeListedServer['state'], string> = { connected: '✔ ', failed: '✘ ', 'pending-approval': '⏸ ', 'needs-auth': '', other: '' };

/** One listing cell per config host the servers use, in the config's order. */
function listingCells(config: Config, servers: ClaudeListedServer[], unreachable: Record<string, string>): ClientMatrixCell[] {
  const cells: ClientMatrixCell[] = [];
  for (const host of config.hosts) {
    const onHost = servers.filter((s) => s.host === host.name);
    if (!onHost.length) continue;
    const cell = (status: ClientMatrixCell['status'], note: string): ClientMatrixCell => ({ client: 'claude', host: host.name, aspect: 'listing', status, note: shorten(note) });
    if (unreachable[host.name]) {
      cells.push(cell('skip', unreachable[host.name]!));
      continue;
    }
    const bad = onHost.find((s) => s.state !== 'connected');
    const listed = `claude mcp list: ${onHost.map((s) => `${s.name} ✔ ${s.status}`).join(', ')}`;
    if (bad) cells.push(cell('fail', `claude mcp list: ${bad.name} ${MARKS[bad.state]}${bad.status}`));
    else cells.push(cell(onHost.some((s) => toolsFetchFailure(s.status)) ? 'warn' : 'pass', listed));
  }
  return cells;
}

/** Claude Code's reason after `tools fetch failed` in a connected server's status, e.g. `Request timed out`. */
export function toolsFetchFailure(status: string): string | undefined {
  const match = /\btools fetch failed\b\s*(?:[—–-]\s*)?(.*)$/i.exec(status);
  return match ? match[1]!.trim() || 'no reason given' : undefined;
}
