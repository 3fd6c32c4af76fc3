/**
 * `openwebui.list`: the running Open WebUI lists the gateway's tools. With an admin's token it
 * calls GET `/api/v1/configs/tool_servers` — the `"type": "mcp"` connection to the gateway's
 * endpoint on `openwebui.config`'s host must be there (Open WebUI keeps its own copy in its
 * database after the first start) — and POST `/api/v1/configs/tool_servers/verify` with that
 * connection: Open WebUI's own MCP client connects to the gateway and lists its tools, some from
 * each server `x-mcp-servers` names (the shared check in ../openwebui-config/live.ts).
 *
 * `skip` without a URL or a token; the listing cell (client `openwebui`) cites this transcript.
 * Every exchange is recorded; the token and the connections' keys go to the redactor.
 */
import { Findings } from '../kit/findings.ts';
import { otherHostCells, shorten } from '../kit/matrix-notes.ts';
import { oneHostOnly } from '../openwebui-config/one-host.ts';
import { liveCheck } from '../openwebui-config/live.ts';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import type { OpenWebuiListFacts } from './facts.ts';
import type { OpenWebuiListOptions } from './options.ts';
import { openWebuiSettings } from './settings.ts';

export type { OpenWebuiListFacts } from './facts.ts';

const ID = 'openwebui.list';

export const openwebuiListProbe: Probe<OpenWebuiListFacts, OpenWebuiListOptions> = {
  id: ID,
  run: runOpenWebuiList,
};

async function runOpenWebuiList(context: ProbeContext<OpenWebuiListOptions>): Promise<ProbeOutcome<OpenWebuiListFacts>> {
  const settings = openWebuiSettings(context.config, ID, context.options);
  const findings = new Findings();
  const transcript: TranscriptEntry[] = [];
  const facts: OpenWebuiListFacts = {
    ...(settings.access ? { url: settings.access.url.replace(/\/+$/, '') } : {}),
    host: settings.hostName,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    findings: findings.list,
    clientMatrix: [],
  };
  const finish = (status: ProbeStatus, summary: string): ProbeOutcome<OpenWebuiListFacts> => {
    facts.clientMatrix = [
      { client: 'openwebui', host: settings.hostName, aspect: 'listing', status, note: shorten(summary) },
      ...otherHostCells(context.config.hosts, { client: 'openwebui', checked: settings.hostName, aspects: ['listing'], why: (other) => oneHostOnly(settings.hostName, other, '') }),
    ];
    return { status, summary, facts, transcript, ...(facts.url ? { target: [`${facts.url}/api/v1/configs/tool_servers`] } : {}) };
  };
  if (!settings.access) return finish('skip', `no Open WebUI to ask: set ${settings.urlOption} to its base URL`);
  if (!settings.host || !settings.endpoint) {
    return finish('fail', `probes."openwebui.config".host is "${settings.hostName}", which is not in hosts (${context.config.hosts.map((h) => h.name).join(', ')}); fix it in proofbook.config.yaml`);
  }
  const result = await liveCheck({
    context,
    access: settings.access,
    urlOption: settings.urlOption,
    host: settings.host,
    ports: settings.ports,
    endpoint: settings.endpoint,
    knownServers: settings.knownServers,
    transcript,
    findings,
  });
  facts.live = result.fact;
  return finish(result.listing.status, result.listing.status === 'pass' ? `${result.listing.note}: ${toolList(result.fact.tools ?? [])}` : result.listing.note);
}

/** The tool names for a one-line summary: the gateway's text, control characters as spaces, at most 20. */
function toolList(tools: string[]): string {
  const shown = tools.slice(0, 20).map((t) => t.replace(/[\u0000-\u001f\u007f]+/g, ' '));
  return `${shown.join(', ')}${tools.length > shown.length ? `, … (${tools.length - shown.length} more)` : ''}`;
}
