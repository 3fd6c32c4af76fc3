/**
 * `codex.list`: what the real Codex CLI makes of its config. Runs `codex mcp list --json` and
 * `codex mcp get <server> --json` with CODEX_HOME set to the configured folder (stdin closed;
 * neither command needs a login or the network) and checks Codex's own view of the gateway entry:
 * listed and enabled, transport `streamable_http` with the host's MCP URL, `x-mcp-servers` among
 * its headers, and a key from an environment variable (`bearer_token_env_var` or
 * `env_http_headers`). Findings point at the config.toml line they are about.
 *
 * Client matrix: `codex mcp list` only reads config.toml — it does not connect — so its cell is
 * aspect `config` (merged with `codex.config`'s: the worst wins). What Codex actually lists over
 * MCP is the `listing` cell of `codex.invoke`.
 *
 * The transcript holds both commands with exit code, stdout and stderr, redacted: `codex mcp get`
 * prints static header values, so any inline key is scrubbed with the secrets before it is stored.
 */
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import { failsThenWarnings } from '../../model/findings.ts';
import type { CodexListOptions } from './options.ts';
import {
  codexEnv,
  codexError,
  headerSecrets,
  hostOfUrl,
  lookupEntryEnv,
  readCodexToml,
  runCodex,
  serverEntry,
  stderrLines,
  type CodexRun,
} from '../kit/codex-shared.ts';
import { now } from '../kit/checks.ts';
import { codexProbe, type CodexStart } from '../kit/codex-probe.ts';
import { Findings } from '../kit/findings.ts';
import { shorten } from '../kit/matrix-notes.ts';
import type { Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import type { CodexListFacts } from './facts.ts';
import { checkListedEntry, listedEntryFacts, type ListedServer } from './listed-entry.ts';

export type { CodexListEntryFacts, CodexListFacts } from './facts.ts';

export const codexListProbe: Probe<CodexListFacts, CodexListOptions> = codexProbe('codex.list', runCodexList);

async function runCodexList(context: ProbeContext<CodexListOptions>, { settings, show }: CodexStart): Promise<ProbeOutcome<CodexListFacts>> {
  const { config, signal, options } = context;
  const shown = show(settings.configFile);
  const codexConfigServers = (config.probes as Record<string, { servers?: string[] } | undefined>)['codex.config']?.servers;
  const servers = options.servers ?? codexConfigServers ?? gatewayMcp(config).servers;
  const findings = new Findings(shown);
  const transcript: TranscriptEntry[] = [];
  const facts: CodexListFacts = {
    codexHome: show(settings.codexHome),
    configFile: shown,
    server: settings.server,
    expected: { host: settings.host.name, url: settings.endpoint, servers },
    exitCodes: {},
    servers: [],
    entry: undefined,
    findings: findings.list,
    clientMatrix: [],
  };
  const read = await readCodexToml(settings.configFile, signal);
  const lineOf = (...keys: string[]) =>
    read.kind === 'ok' ? read.lineOf(['mcp_servers', settings.server, ...keys]) : read.kind === 'syntax' ? read.line : 1;

  // Codex reads the key from its environment; the secrets files stand in for an exported variable.
  const env = codexEnv(settings.codexHome);
  if (read.kind === 'ok') {
    for (const lookup of lookupEntryEnv(context, serverEntry(read.data, settings.server), show)) {
      if (!lookup.value) continue;
      env[lookup.name] = lookup.value;
      context.redactor.add(lookup.value);
    }
  }

  const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]);
  const run = (args: string[]) => runCodex({ codexBin: settings.codexBin, args, env, cwd: settings.codexHome, signal: deadline, timeoutMs: options.timeoutMs });
  const [list, get] = await Promise.all([run(['mcp', 'list', '--json']), run(['mcp', 'get', settings.server, '--json'])]);
  facts.exitCodes = { ...(list.exitCode !== undefined ? { list: list.exitCode } : {}), ...(get.exitCode !== undefined ? { get: get.exitCode } : {}) };
  const listed = tryParseJson<ListedServer[]>(list.stdout);
  const got = tryParseJson<ListedServer>(get.stdout);
  // `codex mcp get` prints static header values: an inline key must not reach the evidence.
  for (const server of [...(Array.isArray(listed) ? listed : []), ...(got ? [got] : [])]) context.redactor.add(...headerSecrets(server.transport?.http_headers));
  transcript.push(commandEntry(list, facts.codexHome), commandEntry(get, facts.codexHome));

  const finish = (status: ProbeStatus, summary: string): ProbeOutcome<CodexListFacts> => {
    const worst = failsThenWarnings(findings.list)[0];
    const host = hostOfUrl(config, facts.entry?.url)?.name ?? settings.host.name;
    const note = worst ? `codex mcp: ${shorten(worst.message)}` : `codex mcp list: ${settings.server} enabled, streamable_http → ${facts.entry?.url}`;
    facts.clientMatrix = [{ client: 'codex', host, aspect: 'config', status, note }];
    const target = [`CODEX_HOME=${facts.codexHome} codex mcp list --json`, `CODEX_HOME=${facts.codexHome} codex mcp get ${settings.server} --json`];
    return { status, summary, facts, transcript, target };
  };
  const failed = () => finish('fail', findings.summary(''));

  if (list.canceled || list.timedOut || get.canceled || get.timedOut) {
    return finish('error', `codex mcp did not finish within ${options.timeoutMs} ms`);
  }
  if (list.startError) {
    return finish('error', `cannot run codex (${list.startError}); install @openai/codex or set probes."codex.config".codexBin`);
  }
  if (list.exitCode !== 0 || !Array.isArray(listed)) {
    const reason = codexError(list.stderr) ?? `exit code ${list.exitCode}`;
    const line = read.kind === 'syntax' ? read.line : 1;
    findings.fail('codex.list-failed', `codex mcp list --json failed: ${reason}${read.kind === 'missing' ? ` (no ${shown}; set probes."codex.config".codexHome)` : ''}`, line);
    return failed();
  }
  facts.servers = listed.map((s) => ({ name: s.name, enabled: s.enabled, transport: s.transport?.type ?? '?', ...(s.transport?.url ? { url: s.transport.url } : {}) }));
  const fromList = listed.find((s) => s.name === settings.server);
  if (!fromList) {
    findings.fail('server.not-listed',
      `codex mcp list does not show "${settings.server}" (it shows ${listed.map((s) => s.name).join(', ') || 'no server'}): ` +
        `add [mcp_servers.${settings.server}] to ${shown}, or set probes."codex.config".server to the entry's name`,
      read.kind === 'ok' ? read.lineOf(['mcp_servers']) : 1);
    return failed();
  }
  if (get.exitCode !== 0 || !got) {
    findings.fail('codex.get-failed', `codex mcp get ${settings.server} --json failed: ${codexError(get.stderr) ?? `exit code ${get.exitCode}`}`, lineOf());
    return failed();
  }

  const entry = listedEntryFacts(got, fromList);
  facts.entry = entry;
  checkListedEntry({ context, settings, got, fromList, entry, servers, findings, lineOf, show });
  findings.list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const pass =
    `codex mcp list: ${settings.server} enabled, ${entry.transport} → ${entry.url}, x-mcp-servers ${entry.xMcpServers?.join(',')}, ` +
    `key from ${entry.bearerTokenEnvVar ?? Object.values(entry.envHttpHeaders).join(',')} (auth ${entry.authStatus ?? '?'})`;
  return finish(findings.status(), findings.summary(pass));
}

/** Codex's JSON output, or undefined when it printed something else (an error, nothing). */
function tryParseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

function commandEntry(run: CodexRun, codexHome: string): TranscriptEntry {
  return {
    at: now(),
    kind: 'command',
    command: run.command,
    env: { CODEX_HOME: codexHome },
    exitCode: run.exitCode ?? null,
    durationMs: run.durationMs,
    stdout: run.stdout,
    stderr: stderrLines(run.stderr),
    ...(run.startError ? { startError: run.startError } : {}),
  };
}
