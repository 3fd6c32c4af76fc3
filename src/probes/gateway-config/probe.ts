/**
 * `gateway.config`: a static check of LiteLLM's `config.yaml` against what Proofbook expects,
 * every finding at file:line (YAML syntax errors at file:line:col).
 *
 * Checks:
 * - YAML syntax, tabs used as indentation and duplicate keys (PyYAML, which LiteLLM uses, silently
 *   keeps the last duplicate) → fail, and no further checks;
 * - `mcp_servers`: present; every expected server registered (default: the names in
 *   `gateway.mcp.servers`) with what the `servers` option asks of it (transport, command,
 *   args, url); every server with an explicit, known `transport` (`stdio` needs `command`, `http`
 *   and `sse` need `url`); no `-` in server names (LiteLLM names tools `<server>-<tool>`);
 *   servers nobody expects → `unexpectedServers` (warn by default);
 * - every `os.environ/NAME` anywhere in the file is defined in the secrets files (that is what
 *   LiteLLM gets), reported at the line of the reference; an empty definition warns; a reference
 *   inside `args` or embedded in a longer string warns (LiteLLM resolves only a whole value, and
 *   1.77 not in `args`); a `${VAR}` in `mcp_servers.*.env` fails at file:line:col (LiteLLM 1.77.1
 *   expands only `os.environ/VAR`, so the stdio server gets the literal text);
 * - `general_settings.master_key` comes from `os.environ/...` (an inline literal fails and is shown
 *   only as a fingerprint) and names the same variable as `gateway.keyEnvVar`;
 * - other inline secrets (an `sk-…` key, a password in a URL, a `Bearer …` token, a literal under a
 *   `*_key`, `token`, `secret` or `password` field) fail;
 * - every alias in `litellm_settings.mcp_aliases` points at a registered server.
 *
 * Status: fail / warn from the findings; `error` only when the file cannot be read. Each group of
 * checks is its own module: ./yaml-syntax.ts, ./values.ts (references and inline secrets),
 * ./shell-placeholders.ts, ./master-key.ts, ./servers.ts, ./aliases.ts.
 * No secret value reaches the outcome: it is scrubbed with the secrets files' values and every
 * inline secret found before it is returned.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import { displayPath } from '../../fs/paths.ts';
import type { ProbeStatus } from '../../model/status.ts';
import { now } from '../kit/checks.ts';
import { Findings } from '../kit/findings.ts';
import { readInputText } from '../kit/read-input.ts';
import type { Probe, ProbeContext, ProbeOutcome, TranscriptEntry } from '../types.ts';
import { checkAliases } from './aliases.ts';
import { lineReader, positionReader, type ConfigScan } from './config-scan.ts';
import type { GatewayConfigFacts } from './facts.ts';
import { checkMasterKey } from './master-key.ts';
import type { GatewayConfigOptions } from './options.ts';
import { checkServers } from './servers.ts';
import { checkShellPlaceholders } from './shell-placeholders.ts';
import { checkValues } from './values.ts';
import { checkSyntax } from './yaml-syntax.ts';
export type { ConfiguredServer, ConfiguredAlias, EnvReference, GatewayConfigFacts } from './facts.ts';

export const gatewayConfigProbe: Probe<GatewayConfigFacts, GatewayConfigOptions> = {
  id: 'gateway.config',
  inputs: (config) => [{ file: config.gateway.configFile, format: 'yaml' }],
  async run(context: ProbeContext<GatewayConfigOptions>): Promise<ProbeOutcome<GatewayConfigFacts>> {
    const { config, signal, options } = context;
    const show = (file: string) => displayPath(config.rootDir, file);
    const file = config.gateway.configFile;
    const shown = show(file);
    const findings = new Findings(shown);
    const transcript: TranscriptEntry[] = [];
    const lineCounter = new LineCounter();
    const expectationsFrom = options.servers ? 'probes."gateway.config".servers' : 'gateway.mcp.servers';
    const scan: ConfigScan = {
      config,
      options,
      secrets: context.secrets,
      shown,
      show,
      findings,
      facts: {
        configFile: shown,
        secretsFiles: [],
        masterKey: { source: 'missing' },
        keyEnvVar: config.gateway.keyEnvVar,
        servers: [],
        aliases: [],
        envRefs: [],
        expectationsFrom,
        findings: findings.list,
      },
      redactor: context.redactor,
      expected: options.servers ?? Object.fromEntries(gatewayMcp(config).servers.map((name) => [name, {}])),
      expectationsFrom,
      lineOf: lineReader(lineCounter),
      text: '',
      positionOf: positionReader(lineCounter),
    };
    const { facts } = scan;
    const finish = (status: ProbeStatus, summary: string): ProbeOutcome<GatewayConfigFacts> => ({ status, summary, facts, transcript, target: [shown] });

    // The secrets files LiteLLM gets its environment from.
    for (const secretsFile of config.secretsFiles) {
      const exists = !!(await stat(secretsFile).catch(() => undefined));
      const keys = [...new Set(context.secrets.filter((e) => e.file === secretsFile).map((e) => e.key))];
      facts.secretsFiles.push({ file: show(secretsFile), exists, keys });
    }

    const { text, error } = await readInputText(file, signal);
    if (text === undefined) return finish('error', `cannot read LiteLLM's config ${shown} (${error}); fix gateway.configFile in proofbook.config.yaml`);
    scan.text = text;
    facts.sha256 = createHash('sha256').update(text).digest('hex').slice(0, 16);
    transcript.push({ at: now(), kind: 'file', file: shown, bytes: Buffer.byteLength(text), sha256: facts.sha256 });

    const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    if (!checkSyntax(document, lineCounter, findings)) return finish('fail', findings.summary(''));
    signal.throwIfAborted();

    const root = document.contents;
    if (!isMap(root)) {
      findings.fail(
        'config.not-a-map',
        `${root ? 'is not a YAML mapping' : 'is empty'}; LiteLLM expects top-level keys such as \`general_settings\` and \`mcp_servers\``,
        root ? scan.lineOf(root) : undefined,
      );
      return finish('fail', findings.summary(''));
    }

    checkValues(root, scan);
    checkShellPlaceholders(root, scan);
    checkMasterKey(root, scan);
    const registered = checkServers(root, scan);
    checkAliases(root, registered, scan);

    const transports = facts.servers.map((s) => `${s.name} ${s.transport ?? '?'}`).join(', ');
    const passSummary =
      `${shown}: ${facts.servers.length} MCP server(s) (${transports}), ${facts.envRefs.length} os.environ reference(s) all defined in the secrets files, ` +
      `master key from os.environ/${facts.masterKey.envVar ?? '?'}${facts.aliases.length ? `, ${facts.aliases.length} alias(es) resolve` : ''}`;
    return finish(findings.status(), findings.summary(passSummary));
  },
};
