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
import { failsThenWarnings } from '../../model/findings.ts';
import type { CodexConfigOptions } from './options.ts';
import {
  codexVersion,
  compareVersions,
  editDistance,
  isTable,
  readCodexToml,
  type TomlTable,
} from '../kit/codex-shared.ts';
import { MIN_REMOTE_VERSION } from '../kit/codex-options.ts';
import { now } from '../kit/checks.ts';
import { codexProbe, type CodexStart } from '../kit/codex-probe.ts';
import { Findings } from '../kit/findings.ts';
import { shorten } from '../kit/matrix-notes.ts';
import type { ClientMatrixCell, Finding, Probe, ProbeContext, ProbeOutcome, ProbeStatus, TranscriptEntry } from '../types.ts';
import { checkEntry, entryFacts } from './entry-checks.ts';
import type { CodexConfigFacts, CodexEntryFacts } from './facts.ts';

export type { CodexConfigFacts, CodexEntryFacts } from './facts.ts';

export const codexConfigProbe: Probe<CodexConfigFacts, CodexConfigOptions> = codexProbe('codex.config', runCodexConfig);

type CodexVersion = Awaited<ReturnType<typeof codexVersion>>;

async function runCodexConfig(context: ProbeContext<CodexConfigOptions>, { settings, show }: CodexStart): Promise<ProbeOutcome<CodexConfigFacts>> {
  const { config, signal, options } = context;
  const shown = show(settings.configFile);
  const servers = options.servers ?? gatewayMcp(config).servers;
  const findings = new Findings(shown);
  const transcript: TranscriptEntry[] = [];
  const facts: CodexConfigFacts = {
    codexHome: show(settings.codexHome),
    configFile: shown,
    codexVersion: undefined,
    server: settings.server,
    expected: { host: settings.host.name, url: settings.endpoint, servers },
    entry: undefined,
    otherServers: [],
    model: {},
    findings: findings.list,
    clientMatrix: [],
  };
  const finish = (status: ProbeStatus, summary: string): ProbeOutcome<CodexConfigFacts> => {
    facts.clientMatrix = matrixCells(config.hosts.map((h) => h.name), settings.host.name, status, findings.list, facts.entry);
    // Known only now: the variables the entry reads (Codex would send their values).
    context.redactor.add(...envValues(facts.entry));
    return { status, summary, facts, transcript, target: [shown] };
  };
  const failed = () => finish('fail', findings.summary(''));

  // The Codex version (its remote-server keys need ≥ 0.47).
  let version: CodexVersion | undefined;
  if (options.checkVersion) {
    version = await codexVersion(settings.codexBin, signal);
    if (version.version) facts.codexVersion = version.version;
    transcript.push({ at: now(), kind: 'command', command: ['codex', '--version'], stdout: version.raw, ...(version.error ? { error: version.error } : {}) });
  }

  const read = await readCodexToml(settings.configFile, signal);
  const advice = `http_headers = { "x-mcp-servers" = "${servers.join(',')}" }`;
  if (read.kind === 'missing') {
    findings.fail('config.missing',
      `Codex has no config here (${read.error}): create ${shown} with a [mcp_servers.${settings.server}] table (url = "${settings.endpoint}", ` +
        `${advice}, bearer_token_env_var = "${config.gateway.keyEnvVar}"), or point probes."codex.config".codexHome at the folder that holds it`,
      1);
    return failed();
  }
  transcript.push({ at: now(), kind: 'file', file: shown, bytes: Buffer.byteLength(read.text), ...(read.kind === 'ok' ? { sha256: read.sha256 } : {}) });
  if (read.kind === 'syntax') {
    findings.fail('toml.syntax', `invalid TOML: ${read.message}. Codex refuses to start with this file ("Error loading config.toml"); fix the syntax`, { line: read.line, column: read.column });
    return failed();
  }
  const { data, lineOf } = read;
  facts.model = modelOf(data, transcript);

  const table = isTable(data.mcp_servers) ? data.mcp_servers : undefined;
  if (data.mcp_servers !== undefined && !table) {
    findings.fail('servers.not-a-table', '`mcp_servers` must be a table of server name → settings ([mcp_servers.<name>])', lineOf(['mcp_servers']));
    return failed();
  }
  facts.otherServers = Object.keys(table ?? {}).filter((name) => name !== settings.server);
  const raw = table?.[settings.server];
  if (!isTable(raw)) {
    const similar = facts.otherServers.find((n) => editDistance(n.toLowerCase(), settings.server.toLowerCase()) <= 2);
    findings.fail('server.missing',
      `no [mcp_servers.${settings.server}] table${similar ? ` ("${similar}" at line ${lineOf(['mcp_servers', similar])} looks like it; rename one so they match)` : ''}: ` +
        `Codex does not know the gateway. Add [mcp_servers.${settings.server}] with url = "${settings.endpoint}", ` +
        `${advice} and bearer_token_env_var = "${config.gateway.keyEnvVar}" (or set probes."codex.config".server to the entry's name)`,
      table ? lineOf(['mcp_servers']) : 1);
    return failed();
  }

  const entryKeys = ['mcp_servers', settings.server];
  const at = (...keys: string[]) => lineOf([...entryKeys, ...keys]);
  const entry = entryFacts(settings, raw, lineOf(entryKeys));
  facts.entry = entry;
  checkEntry({ context, settings, raw, entry, servers, findings, at, show });
  checkVersionAge(version, findings, at('url'));

  findings.list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const pass =
    `${shown}: [mcp_servers.${settings.server}] → ${entry.url} with x-mcp-servers ${entry.xMcpServers?.servers.join(',')} and the key from ` +
    `${entry.token.envVar} (${entry.token.source})${facts.codexVersion ? `; codex ${facts.codexVersion}` : ''}`;
  return finish(findings.status(), findings.summary(pass));
}

/** The model Codex would use; the provider's base URL goes to the transcript only. */
function modelOf(data: TomlTable, transcript: TranscriptEntry[]): CodexConfigFacts['model'] {
  const model: CodexConfigFacts['model'] = {
    ...(typeof data.model === 'string' ? { model: data.model } : {}),
    ...(typeof data.model_provider === 'string' ? { provider: data.model_provider } : {}),
  };
  const providers = isTable(data.model_providers) ? data.model_providers : {};
  const provider = model.provider && isTable(providers[model.provider]) ? (providers[model.provider] as TomlTable) : undefined;
  if (typeof provider?.base_url === 'string') transcript.push({ at: now(), kind: 'note', message: `model provider ${model.provider}: base_url ${provider.base_url}` });
  if (typeof provider?.wire_api === 'string') model.wireApi = provider.wire_api;
  return model;
}

/** Codex before MIN_REMOTE_VERSION ignores or rejects the remote-server keys. */
function checkVersionAge(version: CodexVersion | undefined, findings: Findings, line: number): void {
  if (version?.version && compareVersions(version.version, MIN_REMOTE_VERSION) < 0) {
    findings.warn('codex.too-old',
      `codex --version is ${version.version}: Codex before ${MIN_REMOTE_VERSION} ignores or rejects url, http_headers and bearer_token_env_var, so this entry does not work. ` +
        'Update Codex (npm install -g @openai/codex)',
      line);
  } else if (version?.error) {
    findings.info('codex.not-run', `codex --version failed (${version.error}); the Codex version was not checked (set probes."codex.config".codexBin)`, line);
  }
}

/** Values of the variables the entry reads, for the redactor (Codex would send them). */
function envValues(entry?: CodexEntryFacts): string[] {
  return [entry?.token.envVar, ...Object.values(entry?.envHttpHeaders ?? {})].filter(Boolean).map((name) => process.env[name!] ?? '');
}

/** One `config` cell per host: the checked host gets the status, the others `skip`. */
function matrixCells(hosts: string[], checked: string, status: ProbeStatus, findings: Finding[], entry?: CodexEntryFacts): ClientMatrixCell[] {
  const worst = failsThenWarnings(findings)[0];
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
