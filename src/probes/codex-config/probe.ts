/**
 * `codex.config`: a static check of the Codex CLI's `config.toml`, every finding at file:line
 * (TOML syntax errors at file:line:col).
 *
 * The gateway entry `[mcp_servers.<server>]` must:
 * - point `url` at the host's MCP endpoint (the host's URL from `hosts` + `path`, e.g.
 *   `http://litellm.linuxserver.lan:18080/mcp/`); a stdio entry (`command`) or a disabled one fails;
 * - send `x-mcp-servers` naming the expected servers, through `http_headers` (static) or
 *   `env_http_headers` (from an environment variable);
 * - send the gateway key through `bearer_token_env_var` or an `env_http_headers` entry, never inline:
 *   `bearer_token`, or an `Authorization` / `x-litellm-api-key` value in `http_headers`, fails and is
 *   shown only as a fingerprint; the variable must be set (in the environment or a secrets file);
 * - hold no key Codex does not know: Codex ignores unknown keys silently (`headers` for
 *   `http_headers`, VS Code's `type`…), so each is a warning with the key it probably meant.
 * `codex --version` older than 0.47 warns: it ignores or rejects these remote-server keys.
 *
 * Facts carry `clientMatrix` cells (client `codex`, aspect `config`): the checked host gets the
 * status of the findings; the other hosts `skip` (the entry points at one host).
 */
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import { Redactor } from '../../secrets/redactor.ts';
import { CodexConfigOptionsSchema } from './options.ts';
import {
  codexSettings,
  codexVersion,
  compareVersions,
  editDistance,
  findHeader,
  headerMap,
  isTable,
  KNOWN_SERVER_KEYS,
  lookupEnv,
  readCodexToml,
  sameEndpoint,
  splitServers,
  TOKEN_HEADERS,
  type TomlTable,
} from '../kit/codex-shared.ts';
import { MIN_REMOTE_VERSION } from '../kit/codex-options.ts';
import { displayPath, fingerprint, looksSecret, now, scrub, summarizeFindings } from '../kit/checks.ts';
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

export interface CodexEntryFacts {
  name: string;
  line: number;
  url?: string;
  transport: 'streamable_http' | 'stdio' | 'none';
  enabled: boolean;
  /** Names of the static headers (values are not recorded). */
  httpHeaders: string[];
  /** Header → environment variable. */
  envHttpHeaders: Record<string, string>;
  bearerTokenEnvVar?: string;
  /** How the gateway key reaches the gateway. */
  token: { via: 'bearer_token_env_var' | 'env_http_headers' | 'inline' | 'none'; envVar?: string; set?: boolean; source?: string };
  xMcpServers?: { via: 'http_headers' | 'env_http_headers'; servers: string[]; envVar?: string };
  unknownKeys: string[];
}

export interface CodexConfigFacts {
  codexHome: string;
  configFile: string;
  codexVersion?: string;
  server: string;
  expected: { host: string; url: string; servers: string[] };
  entry?: CodexEntryFacts;
  /** Other `[mcp_servers.*]` entries, by name. */
  otherServers: string[];
  /** The model Codex would use (`model`, `model_provider` and its `wire_api`; the base URL is in the transcript). */
  model: { model?: string; provider?: string; wireApi?: string };
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}

export const codexConfigProbe: Probe<CodexConfigFacts> = {
  id: 'codex.config',
  inputs(config) {
    const options = CodexConfigOptionsSchema.parse((config.probes as Record<string, unknown>)['codex.config'] ?? {});
    return [{ file: codexSettings(config, options).configFile, format: 'toml', optional: true } satisfies ProbeInput];
  },
  async run(context: ProbeContext): Promise<ProbeOutcome<CodexConfigFacts>> {
    const { config, signal } = context;
    const options = CodexConfigOptionsSchema.parse((config.probes as Record<string, unknown>)['codex.config'] ?? {});
    const settings = codexSettings(config, options);
    const show = (file: string) => displayPath(config.rootDir, file);
    const shown = show(settings.configFile);
    const servers = options.servers ?? gatewayMcp(config).servers;
    const findings: Finding[] = [];
    const transcript: TranscriptEntry[] = [];
    const inlineSecrets: string[] = [];
    const facts: CodexConfigFacts = {
      codexHome: show(settings.codexHome),
      configFile: shown,
      codexVersion: undefined,
      server: settings.server,
      expected: { host: settings.host.name, url: settings.endpoint, servers },
      entry: undefined,
      otherServers: [],
      model: {},
      findings,
      clientMatrix: [],
    };
    const add = (severity: Finding['severity'], code: string, line: number | undefined, message: string, column?: number) =>
      findings.push({ severity, code, file: shown, line: line ?? 1, ...(column ? { column } : {}), message });
    const finish = (status: ProbeStatus, summary: string): ProbeOutcome<CodexConfigFacts> => {
      facts.clientMatrix = matrixCells(config.hosts.map((h) => h.name), settings.host.name, status, findings, facts.entry);
      const redactor = new Redactor([...context.secrets.map((e) => e.value), ...inlineSecrets, ...envValues(facts.entry)]);
      return scrub({ status, summary, facts, transcript, target: [shown] }, redactor);
    };
    const envValues = (entry?: CodexEntryFacts) =>
      [entry?.token.envVar, ...Object.values(entry?.envHttpHeaders ?? {})].filter(Boolean).map((name) => process.env[name!] ?? '');

    // The Codex version (its remote-server keys need ≥ 0.47).
    let version: { version?: string; raw: string; error?: string } | undefined;
    if (options.checkVersion) {
      version = await codexVersion(settings.codexBin, signal);
      if (version.version) facts.codexVersion = version.version;
      transcript.push({ at: now(), kind: 'command', command: ['codex', '--version'], stdout: version.raw, ...(version.error ? { error: version.error } : {}) });
    }

    const read = await readCodexToml(settings.configFile, signal);
    if (read.kind === 'missing') {
      add('fail', 'config.missing', undefined,
        `Codex has no config here (${read.error}): create ${shown} with a [mcp_servers.${settings.server}] table (url = "${settings.endpoint}", ` +
          `http_headers = { "x-mcp-servers" = "${servers.join(',')}" }, bearer_token_env_var = "${config.gateway.keyEnvVar}"), ` +
          'or point probes."codex.config".codexHome at the folder that holds it');
      return finish('fail', summarizeFindings(findings, ''));
    }
    transcript.push({ at: now(), kind: 'file', file: shown, bytes: Buffer.byteLength(read.text), ...(read.kind === 'ok' ? { sha256: read.sha256 } : {}) });
    if (read.kind === 'syntax') {
      add('fail', 'toml.syntax', read.line,
        `invalid TOML: ${read.message}. Codex refuses to start with this file ("Error loading config.toml"); fix the syntax`, read.column);
      return finish('fail', summarizeFindings(findings, ''));
    }
    const { data, lineOf } = read;
    const entryKeys = ['mcp_servers', settings.server];
    const at = (...keys: string[]) => lineOf([...entryKeys, ...keys]);

    facts.model = {
      ...(typeof data.model === 'string' ? { model: data.model } : {}),
      ...(typeof data.model_provider === 'string' ? { provider: data.model_provider } : {}),
    };
    const providers = isTable(data.model_providers) ? data.model_providers : {};
    const provider = facts.model.provider && isTable(providers[facts.model.provider]) ? (providers[facts.model.provider] as TomlTable) : undefined;
    if (typeof provider?.base_url === 'string') transcript.push({ at: now(), kind: 'note', message: `model provider ${facts.model.provider}: base_url ${provider.base_url}` });
    if (typeof provider?.wire_api === 'string') facts.model.wireApi = provider.wire_api;

    const table = isTable(data.mcp_servers) ? data.mcp_servers : undefined;
    if (data.mcp_servers !== undefined && !table) {
      add('fail', 'servers.not-a-table', lineOf(['mcp_servers']), '`mcp_servers` must be a table of server name → settings ([mcp_servers.<name>])');
      return finish('fail', summarizeFindings(findings, ''));
    }
    facts.otherServers = Object.keys(table ?? {}).filter((name) => name !== settings.server);
    const raw = table?.[settings.server];
    if (!isTable(raw)) {
      const similar = facts.otherServers.find((n) => editDistance(n.toLowerCase(), settings.server.toLowerCase()) <= 2);
      add('fail', 'server.missing', table ? lineOf(['mcp_servers']) : undefined,
        `no [mcp_servers.${settings.server}] table${similar ? ` ("${similar}" at line ${lineOf(['mcp_servers', similar])} looks like it; rename one so they match)` : ''}: ` +
          `Codex does not know the gateway. Add [mcp_servers.${settings.server}] with url = "${settings.endpoint}", ` +
          `http_headers = { "x-mcp-servers" = "${servers.join(',')}" } and bearer_token_env_var = "${config.gateway.keyEnvVar}" ` +
          '(or set probes."codex.config".server to the entry\'s name)');
      return finish('fail', summarizeFindings(findings, ''));
    }

    const entry: CodexEntryFacts = {
      name: settings.server,
      line: lineOf(entryKeys),
      ...(typeof raw.url === 'string' ? { url: raw.url } : {}),
      transport: typeof raw.url === 'string' ? 'streamable_http' : typeof raw.command === 'string' ? 'stdio' : 'none',
      enabled: raw.enabled !== false,
      httpHeaders: [],
      envHttpHeaders: {},
      bearerTokenEnvVar: undefined,
      token: { via: 'none' },
      xMcpServers: undefined,
      unknownKeys: [],
    };
    facts.entry = entry;
    const name = `mcp_servers.${settings.server}`;

    // Unknown keys: Codex ignores them without a word.
    for (const key of Object.keys(raw)) {
      if ((KNOWN_SERVER_KEYS as readonly string[]).includes(key)) continue;
      entry.unknownKeys.push(key);
      add('warn', 'server.unknown-key', at(key), `${name}.${key} is not a key Codex knows; Codex ignores it silently. ${unknownKeyHint(key)}`);
    }

    if (raw.enabled === false) {
      add('fail', 'server.disabled', at('enabled'), `${name} has enabled = false: Codex does not start it. Remove the line or set enabled = true`);
    }

    // Transport and URL.
    if (entry.transport === 'stdio') {
      add('fail', 'server.stdio', at('command'),
        `${name} is a stdio server (command = "${String(raw.command)}"), but the gateway is reached over streamable HTTP: ` +
          `replace command/args with url = "${settings.endpoint}"`);
    } else if (entry.transport === 'none') {
      add('fail', 'server.url-missing', entry.line, `${name} has no url: add url = "${settings.endpoint}"`);
    } else if (!sameEndpoint(entry.url!, settings.endpoint)) {
      add('fail', 'server.url-mismatch', at('url'), `${name}.url is "${entry.url}" but the ${settings.host.name} host's MCP endpoint is "${settings.endpoint}"; ${urlHint(entry.url!, settings.endpoint)}`);
    }

    // Headers.
    const httpHeaders = headerMap(raw.http_headers);
    const envHeaders = headerMap(raw.env_http_headers);
    if (raw.http_headers !== undefined && !httpHeaders) add('fail', 'headers.not-a-table', at('http_headers'), `${name}.http_headers must be a table of header → value, e.g. { "x-mcp-servers" = "${servers.join(',')}" }`);
    if (raw.env_http_headers !== undefined && !envHeaders) add('fail', 'headers.not-a-table', at('env_http_headers'), `${name}.env_http_headers must be a table of header → environment variable name`);
    entry.httpHeaders = Object.keys(httpHeaders ?? {});
    entry.envHttpHeaders = envHeaders ?? {};

    // Inline secrets: bearer_token, a token header with a literal value, any secret-looking header value.
    if (raw.bearer_token !== undefined) {
      const value = String(raw.bearer_token);
      inlineSecrets.push(value);
      entry.token = { via: 'inline' };
      add('fail', 'token.inline', at('bearer_token'),
        `${name}.bearer_token holds the key inline (fingerprint ${fingerprint(value, config.rootDir) ?? 'n/a'}); Codex 0.169 refuses it ("uses unsupported \`bearer_token\`") and config.toml is not a secrets store. ` +
          `Remove it, set bearer_token_env_var = "${config.gateway.keyEnvVar}" and export ${config.gateway.keyEnvVar}; rotate the key`);
    }
    for (const [header, value] of Object.entries(httpHeaders ?? {})) {
      const tokenHeader = TOKEN_HEADERS.includes(header.toLowerCase());
      if (!tokenHeader && !looksSecret(header, value)) continue;
      inlineSecrets.push(value, value.replace(/^Bearer\s+/i, ''));
      entry.token = { via: 'inline' };
      add('fail', 'token.inline', at('http_headers', header),
        `${name}.http_headers."${header}" holds a ${tokenHeader ? 'key' : 'secret'} inline (fingerprint ${fingerprint(value, config.rootDir) ?? 'n/a'}); config.toml is not a secrets store. ` +
          (tokenHeader
            ? `Remove it, set bearer_token_env_var = "${config.gateway.keyEnvVar}" and export ${config.gateway.keyEnvVar}; rotate the key`
            : `Move it to env_http_headers = { "${header}" = "<ENV_VAR>" } and rotate it`));
    }

    // x-mcp-servers.
    const staticServers = findHeader(httpHeaders, 'x-mcp-servers');
    const envServers = findHeader(envHeaders, 'x-mcp-servers');
    if (staticServers) {
      entry.xMcpServers = { via: 'http_headers', servers: splitServers(staticServers[1]) };
    } else if (envServers) {
      const lookup = lookupEnv(context, envServers[1], show);
      entry.xMcpServers = { via: 'env_http_headers', envVar: envServers[1], servers: splitServers(lookup.value ?? '') };
      if (!lookup.set) {
        add('fail', 'servers-header.env-unset', at('env_http_headers', envServers[0]),
          `${name}.env_http_headers."${envServers[0]}" reads ${envServers[1]}, which is set neither in the environment nor in secretsFiles: Codex then sends no x-mcp-servers. ` +
            `Set ${envServers[1]}=${servers.join(',')} or use http_headers = { "x-mcp-servers" = "${servers.join(',')}" }`);
      }
    }
    if (entry.transport === 'stdio') {
      // A stdio entry does not speak HTTP: its headers are moot (reported above).
    } else if (!entry.xMcpServers) {
      const misnamed = ['headers', 'header'].find((k) => isTable(raw[k]) && findHeader(headerMap(raw[k]), 'x-mcp-servers'));
      add('fail', 'servers-header.missing', httpHeaders ? at('http_headers') : entry.line,
        `${name} sends no x-mcp-servers header, so LiteLLM does not know which MCP servers Codex wants. ` +
          (misnamed
            ? `Rename \`${misnamed}\` (line ${at(misnamed)}) to http_headers: Codex ignores \`${misnamed}\``
            : `Add http_headers = { "x-mcp-servers" = "${servers.join(',')}" }`));
    } else if (entry.xMcpServers.via === 'http_headers' || lookupEnv(context, entry.xMcpServers.envVar!, show).set) {
      const missing = servers.filter((s) => !entry.xMcpServers!.servers.includes(s));
      const line = entry.xMcpServers.via === 'http_headers' ? at('http_headers', staticServers![0]) : at('env_http_headers', envServers![0]);
      if (missing.length) {
        add('fail', 'servers-header.incomplete', line,
          `${name}: x-mcp-servers names ${entry.xMcpServers.servers.join(',') || 'nothing'} but not ${missing.join(', ')}; ` +
            `set it to "${[...entry.xMcpServers.servers, ...missing].join(',')}"`);
      }
    }

    // The token from an environment variable.
    if (entry.token.via !== 'inline') {
      const envAuth = TOKEN_HEADERS.map((h) => findHeader(envHeaders, h)).find(Boolean);
      const bearerVar = typeof raw.bearer_token_env_var === 'string' ? raw.bearer_token_env_var : undefined;
      if (bearerVar) entry.bearerTokenEnvVar = bearerVar;
      if (bearerVar || envAuth) {
        const envVar = bearerVar ?? envAuth![1];
        const line = bearerVar ? at('bearer_token_env_var') : at('env_http_headers', envAuth![0]);
        const lookup = lookupEnv(context, envVar, show);
        entry.token = { via: bearerVar ? 'bearer_token_env_var' : 'env_http_headers', envVar, set: lookup.set, ...(lookup.source ? { source: lookup.source } : {}) };
        if (!lookup.set) {
          const files = config.secretsFiles.map(show).join(', ');
          add('fail', 'token.env-unset', line,
            `${name} reads the gateway key from ${envVar}, which is set neither in the environment nor in secretsFiles (${files || 'none configured'}): ` +
              `Codex then sends no key and the gateway refuses it. Export ${envVar}=<gateway key> where Codex runs, or add it to a secrets file`);
        } else if (!bearerVar && envAuth![0].toLowerCase() === 'authorization' && !/^Bearer\s/i.test(lookup.value ?? '')) {
          add('warn', 'token.no-bearer-prefix', line,
            `${name}.env_http_headers."${envAuth![0]}" sends ${envVar} as the whole Authorization header, but its value does not start with "Bearer "; ` +
              `use bearer_token_env_var = "${envVar}" instead (Codex adds "Bearer ")`);
        } else if (lookup.source !== 'environment') {
          add('info', 'token.from-secrets-file', line,
            `${envVar} is set in ${lookup.source}, not in this environment: Codex reads only its environment, so export it before running codex (e.g. set -a; . <file>; set +a)`);
        }
      } else if (entry.transport !== 'stdio') {
        add('fail', 'token.missing', entry.line,
          `${name} sends no gateway key: add bearer_token_env_var = "${config.gateway.keyEnvVar}" (Codex sends "Authorization: Bearer $${config.gateway.keyEnvVar}") ` +
            `and export ${config.gateway.keyEnvVar}`);
      }
    }

    // Version.
    if (version?.version && compareVersions(version.version, MIN_REMOTE_VERSION) < 0) {
      add('warn', 'codex.too-old', at('url'),
        `codex --version is ${version.version}: Codex before ${MIN_REMOTE_VERSION} ignores or rejects url, http_headers and bearer_token_env_var, so this entry does not work. ` +
          'Update Codex (npm install -g @openai/codex)');
    } else if (version?.error) {
      add('info', 'codex.not-run', at('url'), `codex --version failed (${version.error}); the Codex version was not checked (set probes."codex.config".codexBin)`);
    }

    findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const status = statusOf(findings);
    const pass =
      `${shown}: [${name}] → ${entry.url} with x-mcp-servers ${entry.xMcpServers?.servers.join(',')} and the key from ` +
      `${entry.token.envVar} (${entry.token.source})${facts.codexVersion ? `; codex ${facts.codexVersion}` : ''}`;
    return finish(status, summarizeFindings(findings, pass));
  },
};

const HINTS: Record<string, string> = {
  headers: 'Static headers go in http_headers (VS Code and Claude call it `headers`)',
  type: 'Remove it: Codex infers streamable HTTP from `url` (VS Code and Claude use `type`)',
  transport: 'Remove it: Codex infers streamable HTTP from `url`',
  description: 'Remove it or make it a TOML comment',
  token: 'Use bearer_token_env_var = "<ENV_VAR>"',
  api_key: 'Use bearer_token_env_var = "<ENV_VAR>"',
  env_headers: 'Headers from environment variables go in env_http_headers',
};

function unknownKeyHint(key: string): string {
  if (HINTS[key]) return `${HINTS[key]}.`;
  const near = KNOWN_SERVER_KEYS.map((k) => [k, editDistance(k, key)] as const).sort((a, b) => a[1] - b[1])[0];
  return near && near[1] <= 3 ? `Did you mean ${near[0]}?` : 'Remove it, or check the spelling against Codex\'s config reference.';
}

function urlHint(actual: string, expected: string): string {
  try {
    const a = new URL(actual);
    const e = new URL(expected);
    if (a.origin === e.origin && `${a.pathname}/` === e.pathname) return `add the trailing slash (url = "${expected}"): LiteLLM answers ${a.pathname} with a 307`;
    if (a.origin === e.origin) return `set url = "${expected}"`;
    return `set url = "${expected}" (or change probes."codex.config".host if Codex should use another host)`;
  } catch {
    return `"${actual}" is not a URL; set url = "${expected}"`;
  }
}

/** One `config` cell per host: the checked host gets the status, the others `skip`. */
function matrixCells(hosts: string[], checked: string, status: ProbeStatus, findings: Finding[], entry?: CodexEntryFacts): ClientMatrixCell[] {
  const worst = findings.find((f) => f.severity === 'fail') ?? findings.find((f) => f.severity === 'warn');
  return hosts.map((host) =>
    host === checked
      ? {
          client: 'codex',
          host,
          aspect: 'config',
          status,
          note: worst
            ? `${worst.line ? `config.toml:${worst.line}: ` : ''}${shorten(worst.message)}`
            : `[mcp_servers.${entry?.name}] url, x-mcp-servers and key from ${entry?.token.envVar ?? '?'} as expected`,
        }
      : { client: 'codex', host, aspect: 'config', status: 'skip', note: `config.toml is checked for the ${checked} host only` },
  );
}

function shorten(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
