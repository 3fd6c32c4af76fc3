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
import { Redactor } from '../../secrets/redactor.ts';
import {
  codexEnv,
  codexError,
  codexSettings,
  findHeader,
  hostOfUrl,
  lookupEnv,
  readCodexToml,
  runCodex,
  sameEndpoint,
  splitServers,
  stderrLines,
  TOKEN_HEADERS,
  type CodexRun,
} from '../kit/codex-shared.ts';
import { CodexListOptionsSchema } from './options.ts';
import { displayPath, looksSecret, now, scrub, summarizeFindings } from '../kit/checks.ts';
import {
  statusOf,
  type ClientMatrixCell,
  type Finding,
  type Probe,
  type ProbeContext,
  type ProbeInput,
  type ProbeOutcome,
  type ProbeStatus,
  type TranscriptEntry,
} from '../types.ts';

/** One server as `codex mcp list --json` prints it. */
interface ListedServer {
  name: string;
  enabled: boolean;
  disabled_reason?: string | null;
  transport: {
    type: string;
    url?: string;
    command?: string;
    bearer_token_env_var?: string | null;
    http_headers?: Record<string, string> | null;
    env_http_headers?: Record<string, string> | null;
  };
  auth_status?: string;
  enabled_tools?: string[] | null;
  disabled_tools?: string[] | null;
}

export interface CodexListEntryFacts {
  enabled: boolean;
  disabledReason?: string;
  transport: string;
  url?: string;
  bearerTokenEnvVar?: string;
  /** Names of the static headers (values are not recorded). */
  httpHeaders: string[];
  envHttpHeaders: Record<string, string>;
  xMcpServers?: string[];
  authStatus?: string;
  enabledTools?: string[];
  disabledTools?: string[];
}

export interface CodexListFacts {
  codexHome: string;
  configFile: string;
  server: string;
  expected: { host: string; url: string; servers: string[] };
  /** Exit codes of `codex mcp list --json` and `codex mcp get <server> --json`. */
  exitCodes: { list?: number; get?: number };
  /** Every server `codex mcp list` shows. */
  servers: { name: string; enabled: boolean; transport: string; url?: string }[];
  /** The gateway entry as `codex mcp get` shows it. */
  entry?: CodexListEntryFacts;
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}

export const codexListProbe: Probe<CodexListFacts> = {
  id: 'codex.list',
  inputs(config) {
    const options = CodexListOptionsSchema.parse((config.probes as Record<string, unknown>)['codex.list'] ?? {});
    return [{ file: codexSettings(config, options).configFile, format: 'toml', optional: true } satisfies ProbeInput];
  },
  async run(context: ProbeContext): Promise<ProbeOutcome<CodexListFacts>> {
    const { config, signal } = context;
    const probes = config.probes as Record<string, { servers?: string[] } | undefined>;
    const options = CodexListOptionsSchema.parse(probes['codex.list'] ?? {});
    const settings = codexSettings(config, options);
    const show = (file: string) => displayPath(config.rootDir, file);
    const shown = show(settings.configFile);
    const servers = options.servers ?? probes['codex.config']?.servers ?? gatewayMcp(config).servers;
    const findings: Finding[] = [];
    const transcript: TranscriptEntry[] = [];
    const secrets: string[] = context.secrets.map((e) => e.value);
    const facts: CodexListFacts = {
      codexHome: show(settings.codexHome),
      configFile: shown,
      server: settings.server,
      expected: { host: settings.host.name, url: settings.endpoint, servers },
      exitCodes: {},
      servers: [],
      entry: undefined,
      findings,
      clientMatrix: [],
    };
    const read = await readCodexToml(settings.configFile, signal);
    const lineOf = (...keys: string[]) =>
      read.kind === 'ok' ? read.lineOf(['mcp_servers', settings.server, ...keys]) : read.kind === 'syntax' ? read.line : 1;
    const add = (severity: Finding['severity'], code: string, line: number, message: string) =>
      findings.push({ severity, code, file: shown, line, message });

    // Codex reads the key from its environment; the secrets files stand in for an exported variable.
    const env = codexEnv(settings.codexHome);
    if (read.kind === 'ok') {
      const entry = (read.data.mcp_servers as Record<string, Record<string, unknown>> | undefined)?.[settings.server];
      const names = [entry?.bearer_token_env_var, ...Object.values((entry?.env_http_headers as Record<string, unknown>) ?? {})];
      for (const name of names.filter((n): n is string => typeof n === 'string')) {
        const lookup = lookupEnv(context, name, show);
        if (lookup.value) {
          env[name] = lookup.value;
          secrets.push(lookup.value);
        }
      }
    }

    const deadline = AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]);
    const run = (args: string[]) => runCodex({ codexBin: settings.codexBin, args, env, cwd: settings.codexHome, signal: deadline, timeoutMs: options.timeoutMs });
    const [list, get] = await Promise.all([run(['mcp', 'list', '--json']), run(['mcp', 'get', settings.server, '--json'])]);
    facts.exitCodes = { ...(list.exitCode !== undefined ? { list: list.exitCode } : {}), ...(get.exitCode !== undefined ? { get: get.exitCode } : {}) };
    const listed = parseJson<ListedServer[]>(list.stdout);
    const got = parseJson<ListedServer>(get.stdout);
    // `codex mcp get` prints static header values: an inline key must not reach the evidence.
    for (const server of [...(Array.isArray(listed) ? listed : []), ...(got ? [got] : [])]) {
      for (const [header, value] of Object.entries(server.transport?.http_headers ?? {})) {
        if (TOKEN_HEADERS.includes(header.toLowerCase()) || looksSecret(header, value)) secrets.push(value, value.replace(/^Bearer\s+/i, ''));
      }
    }
    transcript.push(commandEntry(list, facts.codexHome), commandEntry(get, facts.codexHome));

    const finish = (status: ProbeStatus, summary: string): ProbeOutcome<CodexListFacts> => {
      const worst = findings.find((f) => f.severity === 'fail') ?? findings.find((f) => f.severity === 'warn');
      const host = hostOfUrl(config, facts.entry?.url)?.name ?? settings.host.name;
      facts.clientMatrix = [
        {
          client: 'codex',
          host,
          aspect: 'config',
          status,
          note: worst
            ? `codex mcp: ${shorten(worst.message)}`
            : `codex mcp list: ${settings.server} enabled, streamable_http → ${facts.entry?.url}`,
        },
      ];
      const target = [`CODEX_HOME=${facts.codexHome} codex mcp list --json`, `CODEX_HOME=${facts.codexHome} codex mcp get ${settings.server} --json`];
      return scrub({ status, summary, facts, transcript, target }, new Redactor(secrets));
    };

    if (list.canceled || list.timedOut || get.canceled || get.timedOut) {
      return finish('error', `codex mcp did not finish within ${options.timeoutMs} ms`);
    }
    if (list.startError) {
      return finish('error', `cannot run codex (${list.startError}); install @openai/codex or set probes."codex.config".codexBin`);
    }
    if (list.exitCode !== 0 || !Array.isArray(listed)) {
      const reason = codexError(list.stderr) ?? `exit code ${list.exitCode}`;
      const line = read.kind === 'syntax' ? read.line : 1;
      add('fail', 'codex.list-failed', line, `codex mcp list --json failed: ${reason}${read.kind === 'missing' ? ` (no ${shown}; set probes."codex.config".codexHome)` : ''}`);
      return finish('fail', summarizeFindings(findings, ''));
    }
    facts.servers = listed.map((s) => ({ name: s.name, enabled: s.enabled, transport: s.transport?.type ?? '?', ...(s.transport?.url ? { url: s.transport.url } : {}) }));
    const fromList = listed.find((s) => s.name === settings.server);
    if (!fromList) {
      add('fail', 'server.not-listed', read.kind === 'ok' ? read.lineOf(['mcp_servers']) : 1,
        `codex mcp list does not show "${settings.server}" (it shows ${listed.map((s) => s.name).join(', ') || 'no server'}): ` +
          `add [mcp_servers.${settings.server}] to ${shown}, or set probes."codex.config".server to the entry's name`);
      return finish('fail', summarizeFindings(findings, ''));
    }
    if (get.exitCode !== 0 || !got) {
      add('fail', 'codex.get-failed', lineOf(), `codex mcp get ${settings.server} --json failed: ${codexError(get.stderr) ?? `exit code ${get.exitCode}`}`);
      return finish('fail', summarizeFindings(findings, ''));
    }

    const transport = got.transport ?? fromList.transport;
    const entry: CodexListEntryFacts = {
      enabled: got.enabled,
      ...(got.disabled_reason ? { disabledReason: got.disabled_reason } : {}),
      transport: transport.type,
      ...(transport.url ? { url: transport.url } : {}),
      ...(transport.bearer_token_env_var ? { bearerTokenEnvVar: transport.bearer_token_env_var } : {}),
      httpHeaders: Object.keys(transport.http_headers ?? {}),
      envHttpHeaders: transport.env_http_headers ?? {},
      xMcpServers: undefined,
      ...(fromList.auth_status ? { authStatus: fromList.auth_status } : {}),
      ...(got.enabled_tools ? { enabledTools: got.enabled_tools } : {}),
      ...(got.disabled_tools ? { disabledTools: got.disabled_tools } : {}),
    };
    facts.entry = entry;
    const name = `[mcp_servers.${settings.server}]`;

    if (!entry.enabled) {
      add('fail', 'server.disabled', lineOf('enabled'),
        `codex mcp get shows ${settings.server} disabled${entry.disabledReason ? ` (${entry.disabledReason})` : ''}: Codex will not start it. Remove enabled = false from ${name}`);
    }
    if (entry.transport !== 'streamable_http') {
      add('fail', 'server.transport', lineOf('command'),
        `codex mcp get shows transport ${entry.transport}, not streamable_http: ${name} must have url = "${settings.endpoint}" instead of command/args`);
    } else if (!entry.url || !sameEndpoint(entry.url, settings.endpoint)) {
      add('fail', 'server.url-mismatch', lineOf('url'),
        `codex mcp get shows url ${entry.url ?? '(none)'}, but the ${settings.host.name} host's MCP endpoint is ${settings.endpoint}; set url = "${settings.endpoint}" in ${name}`);
    }

    const staticServers = findHeader(transport.http_headers ?? undefined, 'x-mcp-servers');
    const envServers = findHeader(transport.env_http_headers ?? undefined, 'x-mcp-servers');
    if (staticServers) entry.xMcpServers = splitServers(staticServers[1]);
    else if (envServers) entry.xMcpServers = splitServers(lookupEnv(context, envServers[1], show).value ?? '');
    if (entry.transport === 'streamable_http') {
      if (!staticServers && !envServers) {
        add('fail', 'servers-header.missing', lineOf('http_headers'),
          `codex mcp get shows no x-mcp-servers header (http_headers: ${entry.httpHeaders.join(', ') || 'none'}): ` +
            `add http_headers = { "x-mcp-servers" = "${servers.join(',')}" } to ${name}`);
      } else {
        const missing = servers.filter((s) => !entry.xMcpServers!.includes(s));
        if (missing.length) {
          add('fail', 'servers-header.incomplete', staticServers ? lineOf('http_headers', staticServers[0]) : lineOf('env_http_headers', envServers![0]),
            `codex mcp get shows x-mcp-servers "${entry.xMcpServers!.join(',')}", without ${missing.join(', ')}; name every server Codex should reach`);
        }
      }
      const envAuth = TOKEN_HEADERS.map((h) => findHeader(transport.env_http_headers ?? undefined, h)).find(Boolean);
      const inlineAuth = TOKEN_HEADERS.map((h) => findHeader(transport.http_headers ?? undefined, h)).find(Boolean);
      if (inlineAuth) {
        add('fail', 'token.inline', lineOf('http_headers', inlineAuth[0]),
          `codex mcp get shows the key inline in the "${inlineAuth[0]}" header: remove it and set bearer_token_env_var = "${config.gateway.keyEnvVar}"; rotate the key`);
      } else if (!entry.bearerTokenEnvVar && !envAuth) {
        add('fail', 'token.missing', lineOf(),
          `codex mcp get shows no bearer_token_env_var and no key header (auth ${entry.authStatus ?? '?'}): Codex would send no key. ` +
            `Add bearer_token_env_var = "${config.gateway.keyEnvVar}" to ${name}`);
      }
    }

    findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const pass =
      `codex mcp list: ${settings.server} enabled, ${entry.transport} → ${entry.url}, x-mcp-servers ${entry.xMcpServers?.join(',')}, ` +
      `key from ${entry.bearerTokenEnvVar ?? Object.values(entry.envHttpHeaders).join(',')} (auth ${entry.authStatus ?? '?'})`;
    return finish(statusOf(findings), summarizeFindings(findings, pass));
  },
};

function parseJson<T>(text: string): T | undefined {
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

function shorten(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
