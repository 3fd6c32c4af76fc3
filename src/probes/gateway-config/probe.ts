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
 *   1.77 not in `args`);
 * - `general_settings.master_key` comes from `os.environ/...` (an inline literal fails and is shown
 *   only as a fingerprint) and names the same variable as `gateway.keyEnvVar`;
 * - other inline secrets (an `sk-…` key, a password in a URL, a `Bearer …` token, a literal under a
 *   `*_key`, `token`, `secret` or `password` field) fail;
 * - every alias in `litellm_settings.mcp_aliases` points at a registered server.
 *
 * Status: fail / warn from the findings; `error` only when the file cannot be read.
 * No secret value reaches the outcome: it is scrubbed with the secrets files' values and every
 * inline secret found before it is returned.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import { Redactor } from '../../secrets/redactor.ts';
import { GatewayConfigOptionsSchema, MCP_TRANSPORTS, type ExpectedServer } from './options.ts';
import {
  displayPath,
  fingerprint,
  looksSecret,
  now,
  scrub,
  summarizeFindings,
  type LocatedFinding,
} from '../kit/checks.ts';
import { statusOf, type Probe, type ProbeContext, type ProbeOutcome, type TranscriptEntry } from '../types.ts';
import type { ConfiguredServer, EnvReference, GatewayConfigFacts } from './facts.ts';
export type { ConfiguredServer, ConfiguredAlias, EnvReference, GatewayConfigFacts } from './facts.ts';

const ENV_REF = /os\.environ\/([A-Za-z_][A-Za-z0-9_]*)/g;

/** A command-line flag whose next argument is a credential: `--token`, `--api-key`, `--password`… */
const CREDENTIAL_FLAG = /^--?(?:[A-Za-z0-9]+-)*(?:api-?key|access-key|secret-key|master-key|auth-key|private-key|token|password|passwd|pwd|pass|secret|client-secret)$/i;

export const gatewayConfigProbe: Probe<GatewayConfigFacts> = {
  id: 'gateway.config',
  inputs: (config) => [{ file: config.gateway.configFile, format: 'yaml' }],
  async run(context: ProbeContext): Promise<ProbeOutcome<GatewayConfigFacts>> {
    const options = GatewayConfigOptionsSchema.parse((context.config.probes as Record<string, unknown>)['gateway.config'] ?? {});
    const { config, signal } = context;
    const show = (file: string) => displayPath(config.rootDir, file);
    const file = config.gateway.configFile;
    const shown = show(file);
    const findings: LocatedFinding[] = [];
    const transcript: TranscriptEntry[] = [];
    const inlineSecrets: string[] = [];
    const catalogServers = gatewayMcp(config).servers;
    const expected: Record<string, ExpectedServer> =
      options.servers ?? Object.fromEntries(catalogServers.map((name) => [name, {}]));
    const expectationsFrom = options.servers ? 'probes."gateway.config".servers' : 'gateway.mcp.servers';
    const facts: GatewayConfigFacts = {
      configFile: shown,
      secretsFiles: [],
      masterKey: { source: 'missing' },
      keyEnvVar: config.gateway.keyEnvVar,
      servers: [],
      aliases: [],
      envRefs: [],
      expectationsFrom,
      findings,
    };
    const finish = (status: ProbeOutcome['status'], summary: string): ProbeOutcome<GatewayConfigFacts> =>
      scrub({ status, summary, facts, transcript, target: [shown] }, new Redactor([...context.secrets.map((e) => e.value), ...inlineSecrets]));
    const lineCounter = new LineCounter();
    const at = (node: Node | undefined | null, fallback = 1) => (node?.range ? lineCounter.linePos(node.range[0]) : { line: fallback, col: 1 });
    const add = (severity: LocatedFinding['severity'], code: string, line: number | undefined, message: string) =>
      findings.push({ severity, code, file: shown, ...(line ? { line } : {}), message });

    // The secrets files LiteLLM gets its environment from.
    for (const secretsFile of config.secretsFiles) {
      const exists = !!(await stat(secretsFile).catch(() => undefined));
      const keys = [...new Set(context.secrets.filter((e) => e.file === secretsFile).map((e) => e.key))];
      facts.secretsFiles.push({ file: show(secretsFile), exists, keys });
    }

    let text: string;
    try {
      text = await readFile(file, { encoding: 'utf8', signal });
    } catch (error) {
      signal.throwIfAborted();
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      return finish('error', `cannot read LiteLLM's config ${shown} (${code}); fix gateway.configFile in proofbook.config.yaml`);
    }
    facts.sha256 = createHash('sha256').update(text).digest('hex').slice(0, 16);
    transcript.push({ at: now(), kind: 'file', file: shown, bytes: Buffer.byteLength(text), sha256: facts.sha256 });

    const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    // Syntax: every duplicate key (named, with its first line), but only the first other syntax
    // error: the rest usually follow from it.
    const duplicates = document.errors.filter((e) => e.code === 'DUPLICATE_KEY');
    const syntax = document.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
    for (const problem of [...syntax.slice(0, 1), ...duplicates].sort((a, b) => a.pos[0] - b.pos[0])) {
      const { line, col } = lineCounter.linePos(problem.pos[0]);
      let message = yamlMessage(problem, document, lineCounter);
      if (problem === syntax[0] && syntax.length > 1) message += ` (${syntax.length - 1} more syntax error(s) after it; run again once it is fixed)`;
      findings.push({ severity: 'fail', code: `yaml.${problem.code.toLowerCase()}`, file: shown, line, column: col, message });
    }
    if (document.errors.length) {
      return finish('fail', summarizeFindings(findings, ''));
    }
    signal.throwIfAborted();

    const root = document.contents;
    if (!isMap(root)) {
      add('fail', 'config.not-a-map', root ? at(root).line : undefined,
        `${root ? 'is not a YAML mapping' : 'is empty'}; LiteLLM expects top-level keys such as \`general_settings\` and \`mcp_servers\``);
      return finish('fail', summarizeFindings(findings, ''));
    }

    // Every os.environ/ reference and every inline secret, anywhere in the file.
    const definitions = new Map<string, (typeof context.secrets)[number]>();
    for (const entry of context.secrets) definitions.set(entry.key, entry); // last wins, as for LiteLLM's env_file
    const masterKeyPath = 'general_settings.master_key';
    // The item before each scalar of a list (`args`): `--token` then the token as the next item.
    const previousItem = new Map<string, string>();
    walkScalars(root, [], (node, keys) => {
      const value = node.value;
      const list = keys.slice(0, -1).join('.');
      const previous = previousItem.get(list);
      if (typeof node.value === 'string' && typeof keys.at(-1) === 'number') previousItem.set(list, node.value);
      if (typeof value !== 'string') return;
      const where = keys.join('.');
      const { line } = at(node);
      const refs = [...value.matchAll(ENV_REF)];
      for (const match of refs) {
        const name = match[1]!;
        const definition = definitions.get(name);
        const reference: EnvReference = { name, path: where, file: shown, line, defined: !!definition };
        if (definition) {
          reference.empty = definition.value === '';
          reference.source = `${show(definition.file)}:${definition.line}`;
        }
        facts.envRefs.push(reference);
        if (!definition) {
          const files = facts.secretsFiles.map((f) => (f.exists ? f.file : `${f.file} (missing)`)).join(', ');
          add('fail', 'env.undefined', line,
            `${where}: os.environ/${name} is not defined in any secrets file (${files || 'no secretsFiles configured in proofbook.config.yaml'}); ` +
              `LiteLLM would get nothing. Add ${name}=<value> to one of them and restart LiteLLM`);
        } else if (definition.value === '') {
          add('warn', 'env.empty', line, `${where}: os.environ/${name} is defined but empty at ${reference.source}; set its value and restart LiteLLM`);
        }
        if (value.trim() !== match[0]) {
          add('warn', 'env.embedded', line,
            `${where}: os.environ/${name} is part of a longer string; LiteLLM only resolves a value that is exactly \`os.environ/NAME\`. ` +
              'Make the whole value the reference');
        } else if (keys[0] === 'mcp_servers' && keys[2] === 'args') {
          add('warn', 'env.in-args', line,
            `${where}: LiteLLM 1.77 does not resolve os.environ/ inside \`args\`; pass it through \`env\` (e.g. \`env: {X: os.environ/${name}}\`) and use "$X" in args`);
        }
      }
      if (refs.length || where === masterKeyPath || !value) return;
      const field = String(keys.at(-1) ?? '');
      const afterFlag = previous !== undefined && CREDENTIAL_FLAG.test(previous) && !/^[$<]/.test(value);
      if (looksSecret(field, value) || afterFlag) {
        inlineSecrets.push(value);
        add('fail', 'secret.inline', line,
          `${where} holds an inline secret (fingerprint ${fingerprint(value, config.rootDir) ?? 'n/a'}); config.yaml is committed. ` +
            'Move it to a secrets file as NAME=<value>, write `os.environ/NAME` here, restart LiteLLM and rotate the secret');
      }
    });

    // Master key.
    const general = pairOf(root, 'general_settings');
    const masterPair = isMap(general?.value) ? pairOf(general.value, 'master_key') : undefined;
    const master = masterPair?.value as Node | null | undefined;
    if (!masterPair || master == null || (isScalar(master) && (master.value == null || master.value === ''))) {
      const keyNode = (masterPair?.key ?? general?.key) as Node | undefined;
      add('warn', 'master-key.missing', keyNode ? at(keyNode).line : undefined,
        `${masterKeyPath} is not set; LiteLLM then relies on whatever its environment holds, or runs without a master key. ` +
          `Set \`master_key: os.environ/${config.gateway.keyEnvVar}\` under general_settings`);
    } else if (isScalar(master) && typeof master.value === 'string' && /^os\.environ\/[A-Za-z_][A-Za-z0-9_]*$/.test(master.value.trim())) {
      const envVar = master.value.trim().slice('os.environ/'.length);
      facts.masterKey = { source: 'env', envVar, line: at(master).line };
      if (envVar !== config.gateway.keyEnvVar) {
        add('warn', 'master-key.env-mismatch', at(master).line,
          `${masterKeyPath} comes from ${envVar} but Proofbook reads the gateway key from ${config.gateway.keyEnvVar}; ` +
            `set gateway.keyEnvVar: ${envVar} in proofbook.config.yaml (or rename the variable)`);
      }
    } else {
      const literal = isScalar(master) ? String(master.value) : '';
      if (literal) inlineSecrets.push(literal);
      facts.masterKey = { source: 'literal', line: at(master).line, fingerprint: fingerprint(literal, config.rootDir) };
      add('fail', 'master-key.literal', at(master).line,
        `${masterKeyPath} is an inline literal (fingerprint ${fingerprint(literal, config.rootDir) ?? 'n/a'}), not os.environ/...; the key is then in config.yaml and in git. ` +
          `Put ${config.gateway.keyEnvVar}=<key> in a secrets file, write \`master_key: os.environ/${config.gateway.keyEnvVar}\`, restart LiteLLM and rotate the key`);
    }

    // MCP servers.
    const serversPair = pairOf(root, 'mcp_servers');
    const serversNode = serversPair?.value;
    const names: string[] = [];
    if (!serversPair || !isMap(serversNode)) {
      const line = serversPair ? at(serversPair.key as Node).line : undefined;
      add('fail', 'servers.missing', line,
        serversPair
          ? '`mcp_servers` is not a mapping of server name → settings; LiteLLM registers no MCP server'
          : `no \`mcp_servers\` section; LiteLLM registers no MCP server. Add one with ${Object.keys(expected).join(', ') || 'your servers'}`);
    } else {
      const registered = new Set(serversNode.items.map(keyOf));
      for (const pair of serversNode.items) {
        const name = keyOf(pair);
        const line = at(pair.key as Node).line;
        names.push(name);
        // Every field up front, so the JSON keeps a stable, readable order.
        const server: ConfiguredServer = { name, transport: undefined, command: undefined, args: [], url: undefined, description: undefined, envRefs: [], line };
        facts.servers.push(server);
        server.envRefs = [...new Set(facts.envRefs.filter((r) => r.path.startsWith(`mcp_servers.${name}.`)).map((r) => r.name))];
        if (name.includes('-')) {
          add('fail', 'server.dash-in-name', line,
            `MCP server name "${name}" contains '-': LiteLLM names tools \`<server>-<tool>\`, so clients and Proofbook cannot tell where the server name ends. ` +
              `Rename it to "${name.replaceAll('-', '_')}" and update mcp_aliases, x-mcp-servers headers and proofbook.config.yaml`);
        }
        const settings = pair.value;
        if (!isMap(settings)) {
          add('fail', 'server.not-a-map', line, `mcp_servers.${name} is not a mapping; give it \`transport\` and \`command\`/\`args\` (stdio) or \`url\` (http, sse)`);
          continue;
        }
        const scalarAt = (key: string) => {
          const found = pairOf(settings, key);
          return found ? { node: found.value as Node | null, line: at((found.value ?? found.key) as Node, line).line } : undefined;
        };
        const stringOf = (key: string) => {
          const found = scalarAt(key);
          return found && isScalar(found.node) && found.node.value != null ? String(found.node.value) : undefined;
        };
        server.transport = stringOf('transport');
        server.command = stringOf('command');
        server.url = stringOf('url');
        server.description = stringOf('description');
        const argsAt = scalarAt('args');
        if (argsAt) {
          if (isSeq(argsAt.node) && argsAt.node.items.every((item) => isScalar(item))) {
            server.args = argsAt.node.items.map((item) => String((item as { value: unknown }).value));
          } else {
            add('fail', 'server.args-not-a-list', argsAt.line, `mcp_servers.${name}.args must be a list of strings, e.g. ["-c", "exec my-server"]`);
          }
        }

        const transportLine = scalarAt('transport')?.line ?? line;
        const inferred = server.command ? 'stdio' : server.url ? (/\/sse\/?$/.test(server.url) ? 'sse' : 'http') : undefined;
        if (!server.transport) {
          const wanted = expected[name]?.transport;
          add('fail', 'server.transport-missing', line,
            `mcp_servers.${name} has no explicit \`transport\`; LiteLLM then assumes SSE${inferred && inferred !== 'sse' ? `, which is wrong for this ${inferred} server` : ''}. ` +
              `Add \`transport: ${wanted ?? inferred ?? 'stdio'}\`${wanted ? ` (${expectationsFrom} expects it)` : ''}`);
        } else if (!(MCP_TRANSPORTS as readonly string[]).includes(server.transport)) {
          add('fail', 'server.transport-unknown', transportLine,
            `mcp_servers.${name}.transport is "${server.transport}"; LiteLLM knows ${MCP_TRANSPORTS.join(', ')}. Use ${inferred ?? 'one of them'}`);
        } else if (server.transport === 'stdio' && !server.command) {
          add('fail', 'server.command-missing', transportLine, `mcp_servers.${name} is a stdio server without \`command\`; LiteLLM cannot start it. Add \`command\` (and \`args\`)`);
        } else if (server.transport !== 'stdio' && !server.url) {
          add('fail', 'server.url-missing', transportLine, `mcp_servers.${name} is an ${server.transport} server without \`url\`; add the server's URL`);
        }

        const want = expected[name];
        if (!want) {
          // A drifted name (mcp-postgres for mcp_postgres) is reported once, as the missing expected server.
          const drifted = Object.keys(expected).some((e) => normalize(e) === normalize(name) && !registered.has(e));
          if (options.unexpectedServers !== 'ignore' && Object.keys(expected).length && !drifted) {
            add(options.unexpectedServers, 'server.unexpected', line,
              `MCP server "${name}" is registered but ${expectationsFrom} in proofbook.config.yaml does not name it; add it there so it is probed and documented, or remove it from config.yaml`);
          }
          continue;
        }
        if (want.transport && server.transport && want.transport !== server.transport) {
          add('fail', 'server.transport-mismatch', transportLine,
            `mcp_servers.${name}.transport is "${server.transport}" but ${expectationsFrom} expects "${want.transport}"; fix whichever is wrong`);
        }
        if (want.command !== undefined && want.command !== server.command) {
          add('fail', 'server.command-mismatch', scalarAt('command')?.line ?? line,
            `mcp_servers.${name}.command is ${server.command === undefined ? 'not set' : `"${server.command}"`} but ${expectationsFrom} expects "${want.command}"; fix whichever is wrong`);
        }
        if (want.args !== undefined && JSON.stringify(want.args) !== JSON.stringify(server.args)) {
          add('fail', 'server.args-mismatch', argsAt?.line ?? line,
            `mcp_servers.${name}.args are ${JSON.stringify(server.args)} but ${expectationsFrom} expects ${JSON.stringify(want.args)}; fix whichever is wrong`);
        }
        if (want.url !== undefined && want.url !== server.url) {
          add('fail', 'server.url-mismatch', scalarAt('url')?.line ?? line,
            `mcp_servers.${name}.url is ${server.url === undefined ? 'not set' : `"${server.url}"`} but ${expectationsFrom} expects "${want.url}"; fix whichever is wrong`);
        }
      }
    }
    if (serversPair && isMap(serversNode)) {
      const line = at(serversPair.key as Node).line;
      for (const name of Object.keys(expected)) {
        if (names.includes(name)) continue;
        const similar = names.find((n) => normalize(n) === normalize(name));
        const hint = similar
          ? ` — "${similar}" (line ${facts.servers.find((s) => s.name === similar)!.line}) looks like it; rename one so they match`
          : `; add it under mcp_servers or fix the name in ${expectationsFrom}`;
        add('fail', 'server.missing', line, `MCP server "${name}" is not registered in mcp_servers but ${expectationsFrom} in proofbook.config.yaml expects it${hint}`);
      }
    }

    // Aliases.
    const litellm = pairOf(root, 'litellm_settings');
    const aliasesPair = isMap(litellm?.value) ? pairOf(litellm.value, 'mcp_aliases') : undefined;
    if (aliasesPair && aliasesPair.value != null) {
      if (!isMap(aliasesPair.value)) {
        add('fail', 'alias.not-a-map', at(aliasesPair.key as Node).line, 'litellm_settings.mcp_aliases must map alias → server name');
      } else {
        for (const pair of aliasesPair.value.items) {
          const alias = keyOf(pair);
          const line = at((pair.value ?? pair.key) as Node).line;
          const server = isScalar(pair.value) && pair.value.value != null ? String(pair.value.value) : '';
          const resolves = names.includes(server);
          facts.aliases.push({ alias, server, line, resolves });
          if (resolves) continue;
          const similar = names.find((n) => normalize(n) === normalize(server));
          add('fail', 'alias.unknown-server', line,
            `litellm_settings.mcp_aliases.${alias} points to ${server ? `"${server}"` : 'nothing'}, which is not a server in mcp_servers ` +
              `(${names.join(', ') || 'none'}); ${similar ? `did you mean "${similar}"?` : 'point it at a registered server or remove it'}`);
        }
      }
    }

    const transports = facts.servers.map((s) => `${s.name} ${s.transport ?? '?'}`).join(', ');
    const passSummary =
      `${shown}: ${facts.servers.length} MCP server(s) (${transports}), ${facts.envRefs.length} os.environ reference(s) all defined in the secrets files, ` +
      `master key from os.environ/${facts.masterKey.envVar ?? '?'}${facts.aliases.length ? `, ${facts.aliases.length} alias(es) resolve` : ''}`;
    return finish(statusOf(findings), summarizeFindings(findings, passSummary));
  },
};

/** The pair of `key` in `map`, by the key's scalar value. */
function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => (isScalar(pair.key) ? pair.key.value : pair.key) === key) as Pair | undefined;
}

/** A map key as text. */
function keyOf(pair: Pair): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

/** Calls `visit` for every scalar with the path of keys (and sequence indexes) leading to it. */
function walkScalars(node: unknown, keys: (string | number)[], visit: (node: Scalar, keys: (string | number)[]) => void): void {
  if (isAlias(node)) return;
  if (isScalar(node)) visit(node, keys);
  else if (isMap(node)) {
    for (const pair of node.items) walkScalars(pair.value, [...keys, keyOf(pair)], visit);
  } else if (isSeq(node)) node.items.forEach((item, index) => walkScalars(item, [...keys, index], visit));
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, '');
}

/** A YAML error as a sentence that says what to do. */
function yamlMessage(problem: Document['errors'][number], document: Document, lineCounter: LineCounter): string {
  const first = problem.message.split('\n')[0]!;
  if (problem.code === 'TAB_AS_INDENT') {
    return 'invalid YAML: a tab is used for indentation; YAML allows only spaces there. Replace the tab with spaces';
  }
  if (problem.code === 'DUPLICATE_KEY') {
    let detail = '';
    const visitMaps = (node: unknown): void => {
      if (detail) return;
      if (isMap(node)) {
        const index = node.items.findIndex((pair) => isScalar(pair.key) && pair.key.range?.[0] === problem.pos[0]);
        if (index >= 0) {
          const key = (node.items[index]!.key as { value: unknown }).value;
          const earlier = node.items.slice(0, index).find((pair) => isScalar(pair.key) && pair.key.value === key);
          const line = earlier && isScalar(earlier.key) && earlier.key.range ? lineCounter.linePos(earlier.key.range[0]).line : undefined;
          detail = `"${String(key)}"${line ? ` (first at line ${line})` : ''}`;
          return;
        }
        for (const pair of node.items) visitMaps(pair.value);
      } else if (isSeq(node)) node.items.forEach(visitMaps);
    };
    visitMaps(document.contents);
    return `invalid YAML: duplicate key ${detail || 'here'}; LiteLLM's YAML loader silently keeps only the last one. Remove or merge the duplicates`;
  }
  return `invalid YAML: ${first}. Fix the syntax; LiteLLM cannot load this file either`;
}
