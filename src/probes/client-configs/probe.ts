/**
 * `vscode.config` and `claude.config`: static checks of the MCP client configs the team hands
 * out for VS Code (`.vscode/mcp.json`, `mcp_servers*.json`) and Claude Code (`.mcp.json`),
 * every finding at file:line:col.
 *
 * Per configured file (a list of paths or `*` / `**` patterns):
 * - JSON syntax (VS Code reads JSONC: comments and trailing commas are fine there; Claude Code
 *   reads strict JSON) and the shape, validated with zod — VS Code
 *   `{servers: {name: {type, url, headers} | {type: "stdio", command, args, env}}, inputs: [...]}`,
 *   Claude Code `{mcpServers: {name: {type, url, headers} | {command, args, env}}}`;
 * - every host in `hosts` (or the `hosts` option) has a server entry whose URL uses the host's
 *   scheme and host name (the port too with `ports: match`) and LiteLLM's MCP path: LAN over
 *   http, external over https — an http URL for an https host is a fail;
 * - each gateway entry sends the key (`Authorization` or `x-litellm-api-key`) and `x-mcp-servers`;
 * - secrets only as references: `${input:id}` (VS Code, with a `promptString` input that has
 *   `password: true`) or `${VAR}` / `${VAR:-default}` (Claude Code). An inline value is a fail
 *   and is shown only as a fingerprint; the outcome is scrubbed of it before it is returned;
 * - optionally, a runbook has a Windows credential-storage section (heading match).
 *
 * Facts: the files, their servers (URL without user/query, header names, the key reference),
 * the runbook section, the findings and `clientMatrix` cells (client `vscode` / `claude`, aspect
 * `config`, one per required host). Status: fail / warn from the findings, `skip` with no files.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.ts';
import type { Host } from '../../config/schema.ts';
import { locate, pathText, scanJson } from '../../formats/json.ts';
import { jsonFindingError } from '../../formats/json-errors.ts';
import { positionAt } from '../../formats/positions.ts';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import { Redactor } from '../../secrets/redactor.ts';
import {
  endpointFor,
  expandFiles,
  isCredentialHeader,
  KEY_HEADERS,
  literalPart,
  matchHost,
  referencesIn,
  safeUrl,
} from '../kit/client-shared.ts';
import { ClaudeConfigOptionsSchema } from '../claude-config/options.ts';
import type { ClientConfigOptions } from './options.ts';
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
import { VscodeConfigOptionsSchema } from '../vscode-config/options.ts';

// ---------------------------------------------------------------------------------------------
// File shapes
// ---------------------------------------------------------------------------------------------

const serverShape = {
  type: z.enum(['stdio', 'http', 'sse'], { error: 'must be "http", "sse" or "stdio"' }).optional(),
  command: z.string({ error: 'must be a string' }).optional(),
  args: z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of strings' }).optional(),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]), { error: 'must be an object of NAME: value' }).optional(),
  url: z.string({ error: 'must be a string' }).optional(),
  headers: z.record(z.string(), z.string({ error: 'header values must be strings' }), { error: 'must be an object of header: value' }).optional(),
};

export const VscodeFileSchema = z
  .object({
    servers: z.record(z.string(), z.looseObject({ ...serverShape, envFile: z.string().optional() }), {
      error: 'must be an object of server name → settings',
    }),
    inputs: z
      .array(
        z.looseObject({
          type: z.string({ error: 'must be a string, e.g. "promptString"' }),
          id: z.string({ error: 'must be a string' }).min(1),
          description: z.string().optional(),
          password: z.boolean({ error: 'must be true or false' }).optional(),
        }),
        { error: 'must be a list of inputs' },
      )
      .optional(),
  })
  .loose();

export const ClaudeFileSchema = z
  .object({
    mcpServers: z.record(z.string(), z.looseObject(serverShape), { error: 'must be an object of server name → settings' }),
  })
  .loose();

interface ServerEntry {
  type?: 'stdio' | 'http' | 'sse';
  command?: string;
  args?: string[];
  env?: Record<string, unknown>;
  url?: string;
  headers?: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Facts
// ---------------------------------------------------------------------------------------------

export interface ClientServerFact {
  name: string;
  line: number;
  type?: string;
  /** The configured host it points at (by scheme and host name). */
  host?: string;
  /** scheme://host[:port]/path — never user, password or query. */
  url?: string;
  /** Header names (values are never shown). */
  headers: string[];
  /** The header that carries the key, and the reference it uses (e.g. `${input:litellm-key}`). */
  keyHeader?: string;
  keyReference?: string;
  /** Servers named in `x-mcp-servers`. */
  mcpServers?: string[];
}

export interface ClientFileFact {
  file: string;
  /** First 16 hex of the file's sha256. */
  sha256?: string;
  servers: ClientServerFact[];
  /** VS Code `inputs` (no values: VS Code prompts for them). */
  inputs?: { id: string; type: string; password: boolean; line: number }[];
}

export interface RunbookSectionFact {
  file: string;
  found: boolean;
  heading?: string;
  line?: number;
}

export interface ClientConfigFacts {
  client: 'vscode' | 'claude';
  files: ClientFileFact[];
  /** Hosts every file must reach. */
  hosts: string[];
  mcpPath: string;
  runbook?: RunbookSectionFact;
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}

// ---------------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------------

interface ClientSpec {
  client: 'vscode' | 'claude';
  id: 'vscode.config' | 'claude.config';
  name: string;
  schema: typeof VscodeFileSchema | typeof ClaudeFileSchema;
  serversKey: 'servers' | 'mcpServers';
  otherKey: 'servers' | 'mcpServers';
  optionsSchema: typeof VscodeConfigOptionsSchema;
  jsonc: boolean;
  /** How to write the key reference in this client, for messages. */
  keyReference: string;
  secretAdvice: string;
}

const VSCODE: ClientSpec = {
  client: 'vscode',
  id: 'vscode.config',
  name: 'VS Code',
  schema: VscodeFileSchema,
  serversKey: 'servers',
  otherKey: 'mcpServers',
  optionsSchema: VscodeConfigOptionsSchema,
  jsonc: true,
  keyReference: 'Bearer ${input:litellm-key}',
  secretAdvice:
    'write "Bearer ${input:litellm-key}" and declare {"type": "promptString", "id": "litellm-key", "password": true} under "inputs" (VS Code asks once and keeps it in its secret storage)',
};

const CLAUDE: ClientSpec = {
  client: 'claude',
  id: 'claude.config',
  name: 'Claude Code',
  schema: ClaudeFileSchema,
  serversKey: 'mcpServers',
  otherKey: 'servers',
  optionsSchema: ClaudeConfigOptionsSchema,
  jsonc: false,
  keyReference: 'Bearer ${LITELLM_API_KEY}',
  secretAdvice: 'write "Bearer ${LITELLM_API_KEY}" and set LITELLM_API_KEY in the environment Claude Code starts from',
};

function options(config: Config, spec: ClientSpec): ClientConfigOptions {
  return spec.optionsSchema.parse((config.probes as Record<string, unknown>)[spec.id] ?? {});
}

function inputsOf(spec: ClientSpec) {
  return (config: Config): ProbeInput[] => {
    const parsed = spec.optionsSchema.safeParse((config.probes as Record<string, unknown>)[spec.id] ?? {});
    if (!parsed.success) return [];
    const files = expandFiles(config.rootDir, parsed.data.files).flatMap((e) => e.files);
    // VS Code reads its MCP config as JSONC (comments, trailing commas); Claude Code as strict JSON.
    const list: ProbeInput[] = files.map((file) => ({ file, format: spec.jsonc ? 'jsonc' : 'json' }));
    if (parsed.data.runbook) list.push({ file: pathResolve(config.rootDir, parsed.data.runbook), format: 'markdown' });
    return list;
  };
}

function pathResolve(root: string, file: string): string {
  return path.resolve(root, file);
}

const SEVERITY_RANK: Record<Finding['severity'], number> = { info: 0, warn: 1, fail: 2 };

async function runClientProbe(spec: ClientSpec, context: ProbeContext): Promise<ProbeOutcome<ClientConfigFacts>> {
  const { config, signal } = context;
  const opts = options(config, spec);
  const show = (file: string) => displayPath(config.rootDir, file);
  const findings: Finding[] = [];
  const transcript: TranscriptEntry[] = [];
  const inlineSecrets: string[] = [];
  const gateway = gatewayMcp(config);
  const mcpPath = opts.mcpPath ?? gateway.path;
  const knownServers = opts.servers ?? gateway.servers;
  const unknownHosts = (opts.hosts ?? []).filter((name) => !config.hosts.some((h) => h.name === name));
  const required: Host[] = opts.hosts ? config.hosts.filter((h) => opts.hosts!.includes(h.name)) : config.hosts;
  const facts: ClientConfigFacts = { client: spec.client, files: [], hosts: required.map((h) => h.name), mcpPath, findings, clientMatrix: [] };
  /** Findings that concern one host only (the rest concern every host of their file). */
  const findingHosts = new Map<Finding, string>();
  /** Findings that are about the docs, not the client config (kept out of the matrix). */
  const docFindings = new Set<Finding>();
  const finish = (status: ProbeStatus, summary: string): ProbeOutcome<ClientConfigFacts> =>
    scrub({ status, summary, facts, transcript }, new Redactor([...context.secrets.map((e) => e.value), ...inlineSecrets]));

  if (!opts.files.length) {
    return finish('skip', `no files in probes."${spec.id}".files in proofbook.config.yaml; no ${spec.name} config to check`);
  }
  for (const name of unknownHosts) {
    findings.push({
      severity: 'fail',
      code: 'option.unknown-host',
      message: `probes."${spec.id}".hosts names "${name}", which is not in hosts (${config.hosts.map((h) => h.name).join(', ')}); fix the name in proofbook.config.yaml`,
    });
  }

  const files: string[] = [];
  for (const entry of expandFiles(config.rootDir, opts.files)) {
    if (entry.isGlob && !entry.files.length) {
      findings.push({
        severity: 'fail',
        code: 'file.no-match',
        message: `probes."${spec.id}".files pattern "${entry.pattern}" matches no file; fix the pattern in proofbook.config.yaml or add the ${spec.name} config`,
      });
    }
    for (const file of entry.files) if (!files.includes(file)) files.push(file);
  }

  for (const file of files) {
    signal.throwIfAborted();
    const shown = show(file);
    const fileFact: ClientFileFact = { file: shown, servers: [] };
    facts.files.push(fileFact);
    const add = (severity: Finding['severity'], code: string, at: { line: number; column?: number } | undefined, message: string, host?: string) => {
      const finding: Finding = { severity, code, file: shown, ...(at ? { line: at.line, ...(at.column ? { column: at.column } : {}) } : {}), message };
      findings.push(finding);
      if (host) findingHosts.set(finding, host);
      return finding;
    };

    let text: string;
    try {
      text = await readFile(file, { encoding: 'utf8', signal });
    } catch (error) {
      signal.throwIfAborted();
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      add('fail', 'file.unreadable', undefined,
        `${spec.name} config ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}; add it or fix probes."${spec.id}".files in proofbook.config.yaml`);
      continue;
    }
    fileFact.sha256 = createHash('sha256').update(text).digest('hex').slice(0, 16);
    transcript.push({ at: now(), kind: 'file', file: shown, bytes: Buffer.byteLength(text), sha256: fileFact.sha256 });

    const parsed = scanJson(text, spec.jsonc ? { comments: true, trailingCommas: true } : {});
    if (parsed.error || !parsed.root) {
      const problem = jsonFindingError(parsed.error!, spec.jsonc ? undefined : 'Claude Code reads .mcp.json as strict JSON');
      const at = positionAt(text, problem.offset);
      const message = problem.message;
      add('fail', 'json.syntax', at, `invalid JSON: ${message}${/[.?!]$/.test(message) ? '' : '.'} ${spec.name} cannot load this file, so none of its servers work`);
      continue;
    }
    const root = parsed.root;
    const pos = (jsonPath: readonly PropertyKey[]) => {
      const found = locate(root, jsonPath);
      return positionAt(text, found.offset);
    };
    for (const duplicate of parsed.duplicates) {
      const first = positionAt(text, duplicate.firstOffset);
      add('warn', 'json.duplicate-key', positionAt(text, duplicate.offset),
        `${pathText([...duplicate.path, duplicate.key])} is set twice (first at line ${first.line}); ${spec.name} keeps only the last one. Remove or merge them`);
    }

    // Shape.
    const rootValue = parsed.value as Record<string, unknown>;
    if (root.type === 'object' && !(spec.serversKey in rootValue) && spec.otherKey in rootValue) {
      add('fail', 'shape.wrong-key', pos([spec.otherKey]),
        `${spec.name} reads "${spec.serversKey}", not "${spec.otherKey}" (that is ${spec.client === 'vscode' ? "Claude Code's" : "VS Code's"} key); rename it to "${spec.serversKey}"`);
      continue;
    }
    const shape = spec.schema.safeParse(parsed.value);
    if (!shape.success) {
      for (const issue of shape.error.issues.slice(0, 10)) {
        const where = pathText(issue.path);
        const missing = issue.code === 'invalid_type' && locate(root, issue.path).exact === false;
        const example =
          spec.client === 'vscode'
            ? '{"servers": {"litellm": {"type": "http", "url": "…/mcp/", "headers": {…}}}, "inputs": [{"type": "promptString", "id": "litellm-key", "password": true}]}'
            : '{"mcpServers": {"litellm": {"type": "http", "url": "…/mcp/", "headers": {…}}}}';
        add('fail', 'shape.invalid', pos(issue.path),
          `${where} ${missing ? 'is missing' : issue.message}; ${spec.name} expects ${example}`);
      }
      continue;
    }
    const data = shape.data as Record<string, unknown>;
    const servers = data[spec.serversKey] as Record<string, ServerEntry>;

    // VS Code inputs.
    const inputs = new Map<string, { type: string; password: boolean; line: number }>();
    if (spec.client === 'vscode') {
      const list = ((data.inputs as { id: string; type: string; password?: boolean }[] | undefined) ?? []);
      fileFact.inputs = list.map((input, index) => {
        const fact = { id: input.id, type: input.type, password: input.password === true, line: pos(['inputs', index]).line };
        inputs.set(input.id, fact);
        return fact;
      });
    }

    // Every string in every server: references and inline secrets (a gateway entry's problems
    // count for its host's matrix cell; another server's for every host of the file).
    for (const [name, server] of Object.entries(servers)) {
      const serverPath = [spec.serversKey, name];
      const parsedUrl = typeof server.url === 'string' ? tryUrl(server.url) : undefined;
      const serverHost = parsedUrl ? matchHost(parsedUrl, config.hosts, opts.ports).host?.name : undefined;
      walkStrings(server, [], (value, keys) => {
        const jsonPath = [...serverPath, ...keys];
        const at = pos(jsonPath);
        const field = String(keys.at(-1) ?? '');
        const inHeaders = keys[0] === 'headers' && keys.length === 2;
        const where = pathText(jsonPath);
        for (const reference of referencesIn(value)) {
          if (spec.client === 'vscode' && reference.kind === 'var') {
            add('fail', 'reference.unsupported', at,
              `${where} uses ${reference.text}, which VS Code does not expand (it would send the text as it is); use \${input:<id>} with a promptString input, or \${env:${reference.name}}`, serverHost);
          } else if (spec.client === 'claude' && reference.kind !== 'var') {
            add('fail', 'reference.unsupported', at,
              `${where} uses ${reference.text}, which Claude Code does not expand (that is VS Code syntax); use \${VAR} or \${VAR:-default} and set VAR in the environment`, serverHost);
          } else if (reference.kind === 'input') {
            const input = inputs.get(reference.name);
            if (!input) {
              add('fail', 'input.undeclared', at,
                `${where} uses \${input:${reference.name}} but "inputs" declares no id "${reference.name}"; add {"type": "promptString", "id": "${reference.name}", "description": "LiteLLM key", "password": true}`, serverHost);
            } else if (input.type !== 'promptString' || !input.password) {
              add('fail', 'input.not-password', { line: input.line },
                `input "${reference.name}" carries a secret but is not {"type": "promptString", "password": true}; set both so VS Code masks the key when it asks for it`, serverHost);
            }
          }
          if (reference.fallback && (isCredentialHeader(field) && inHeaders ? literalPart(reference.fallback) : looksSecret(field, reference.fallback) ? reference.fallback : '')) {
            inlineSecrets.push(reference.fallback);
            add('fail', 'secret.inline', at,
              `${where} has an inline secret as the default of \${${reference.name}:-…} (fingerprint ${fingerprint(reference.fallback, config.rootDir) ?? 'n/a'}); this file is committed. ` +
                `Drop the default (\${${reference.name}}), set ${reference.name} in the environment and rotate the key`, serverHost);
          }
        }
        const literal = literalPart(value);
        const inline = inHeaders && isCredentialHeader(field) ? literal : looksSecret(field, literal) ? literal : '';
        if (inline) {
          inlineSecrets.push(inline);
          add('fail', 'secret.inline', at,
            `${where} holds an inline credential (fingerprint ${fingerprint(inline, config.rootDir) ?? 'n/a'}) instead of a reference; this file is committed. ` +
              `${capitalize(inHeaders ? spec.secretAdvice : referenceAdvice(spec, field))}, then rotate the key`, serverHost);
        }
      });
    }

    // Gateway entries.
    const covered = new Set<string>();
    const schemeProblems = new Set<string>();
    for (const [name, server] of Object.entries(servers)) {
      const serverPath = [spec.serversKey, name];
      const line = pos(serverPath).line;
      const fact: ClientServerFact = { name, line, ...(server.type ? { type: server.type } : {}), headers: Object.keys(server.headers ?? {}) };
      fileFact.servers.push(fact);
      if (server.url === undefined) continue;
      let url: URL;
      try {
        url = new URL(server.url);
      } catch {
        add('fail', 'server.bad-url', pos([...serverPath, 'url']), `${pathText([...serverPath, 'url'])} is not a URL; use ${config.hosts.map((h) => endpointFor(h, mcpPath)).join(' or ')}`);
        continue;
      }
      fact.url = safeUrl(url);
      const match = matchHost(url, config.hosts, opts.ports);
      if (!match.host) continue; // another MCP server, not the gateway
      const host = match.host;
      fact.host = host.name;
      const urlAt = pos([...serverPath, 'url']);
      const urlWhere = pathText([...serverPath, 'url']);
      const expected = endpointFor(host, mcpPath);
      if (match.schemeMismatch) {
        schemeProblems.add(host.name);
        const hostScheme = new URL(host.url).protocol.replace(':', '');
        add('fail', 'server.scheme', urlAt,
          hostScheme === 'https'
            ? `${urlWhere} uses http:// but the ${host.name} host is served over https (hosts: ${host.url}); the key would cross the network in clear text and Traefik has no http router for it. Use ${expected}`
            : `${urlWhere} uses https:// but the ${host.name} host is served over http (hosts: ${host.url}); Traefik has no TLS router for it. Use ${expected}`,
          host.name);
        continue;
      }
      if (match.portMismatch) {
        add('fail', 'server.port', urlAt, `${urlWhere} uses port ${url.port || 'default'} but the ${host.name} host is ${host.url}; use ${expected}`, host.name);
      }
      covered.add(host.name);
      const type = server.type;
      if (!type) {
        add('fail', 'server.type-missing', pos(serverPath),
          `${pathText(serverPath)} has a url but no "type"; ${spec.name} then ${spec.client === 'claude' ? 'treats it as a stdio server and fails' : 'has to guess the transport'}. Add "type": "http"`, host.name);
      } else if (type === 'stdio') {
        add('fail', 'server.type-stdio', pos([...serverPath, 'type']), `${pathText(serverPath)} is "type": "stdio" but has a url; a gateway entry is "type": "http"`, host.name);
      } else if (type === 'sse') {
        add('warn', 'server.type-sse', pos([...serverPath, 'type']),
          `${pathText(serverPath)} uses the legacy SSE transport; LiteLLM 1.77 does not open SSE sessions at /mcp/sse (only keep-alive pings). Use "type": "http" with ${expected}`, host.name);
      }
      const slashless = mcpPath.replace(/\/$/, '');
      const pathOk = url.pathname === mcpPath || (mcpPath.endsWith('/') && url.pathname.startsWith(mcpPath) && type !== 'sse');
      if (type !== 'sse' && !pathOk) {
        if (url.pathname === slashless) {
          add('warn', 'server.path-slash', urlAt, `${urlWhere} has no trailing slash; LiteLLM answers ${slashless} with a 307 redirect that some clients do not follow. Use ${expected}`, host.name);
        } else {
          add('fail', 'server.path', urlAt, `${urlWhere} has path ${url.pathname} but the gateway's MCP endpoint is ${mcpPath}; use ${expected}`, host.name);
        }
      }

      // Headers.
      const headers = Object.entries(server.headers ?? {});
      const keyHeader = headers.find(([h]) => KEY_HEADERS.includes(h.toLowerCase()));
      const headersAt = pos([...serverPath, 'headers']);
      if (!keyHeader) {
        add('fail', 'header.key-missing', headersAt,
          `${pathText(serverPath)} sends no key: add "Authorization": "${spec.keyReference}" (or "x-litellm-api-key") to its headers; LiteLLM rejects MCP requests without a key`, host.name);
      } else {
        fact.keyHeader = keyHeader[0];
        const reference = referencesIn(keyHeader[1])[0];
        if (reference) fact.keyReference = reference.text;
        else if (!literalPart(keyHeader[1])) {
          add('fail', 'header.key-empty', pos([...serverPath, 'headers', keyHeader[0]]), `${pathText([...serverPath, 'headers', keyHeader[0]])} is empty; write "${spec.keyReference}"`, host.name);
        }
      }
      const selected = url.pathname.startsWith(mcpPath) && url.pathname.length > mcpPath.length; // /mcp/<servers> selects by path
      const serversHeader = headers.find(([h]) => h.toLowerCase() === 'x-mcp-servers');
      if (serversHeader) {
        fact.mcpServers = serversHeader[1].split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = fact.mcpServers.filter((s) => knownServers.length && !knownServers.includes(s) && !s.includes('${'));
        if (!fact.mcpServers.length) {
          add('fail', 'header.servers-empty', pos([...serverPath, 'headers', serversHeader[0]]),
            `${pathText([...serverPath, 'headers', serversHeader[0]])} is empty; list the servers, e.g. "${knownServers.join(',') || 'mcp_postgres,mcp_filesystem'}"`, host.name);
        } else if (unknown.length) {
          add('warn', 'header.servers-unknown', pos([...serverPath, 'headers', serversHeader[0]]),
            `x-mcp-servers names ${unknown.map((s) => `"${s}"`).join(', ')}, which the gateway does not register (known: ${knownServers.join(', ')}); fix the name or remove it`, host.name);
        }
      } else if (!selected) {
        add('fail', 'header.servers-missing', headersAt,
          `${pathText(serverPath)} has no "x-mcp-servers" header; add "x-mcp-servers": "${knownServers.join(',') || 'mcp_postgres,mcp_filesystem'}" so the gateway lists exactly these servers' tools (the seed plan's persistent header)`, host.name);
      }
    }
    const serversAt = pos([spec.serversKey]);
    for (const host of required) {
      if (covered.has(host.name) || schemeProblems.has(host.name)) continue;
      const scheme = new URL(host.url).protocol === 'https:' ? 'https' : 'http';
      add('fail', 'host.missing', serversAt,
        `no server for the ${host.name} host (${host.url}); add one, e.g. "litellm-${host.name}": {"type": "http", "url": "${endpointFor(host, mcpPath)}", ` +
          `"headers": {"Authorization": "${spec.keyReference}", "x-mcp-servers": "${knownServers.join(',') || '…'}"}} (${scheme}${scheme === 'https' ? ', never plain http' : ''})`,
        host.name);
    }
  }

  // The runbook's Windows section.
  if (opts.runbook) {
    const file = pathResolve(config.rootDir, opts.runbook);
    const shown = show(file);
    let text: string | undefined;
    try {
      text = await readFile(file, { encoding: 'utf8', signal });
    } catch (error) {
      signal.throwIfAborted();
      const finding: Finding = {
        severity: 'fail',
        code: 'runbook.unreadable',
        file: shown,
        message: `runbook ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read'}; fix probes."${spec.id}".runbook in proofbook.config.yaml`,
      };
      findings.push(finding);
      docFindings.add(finding);
    }
    if (text !== undefined) {
      transcript.push({ at: now(), kind: 'file', file: shown, role: 'runbook', bytes: Buffer.byteLength(text) });
      const headings = markdownHeadings(text);
      const wanted = opts.windowsHeading.toLowerCase();
      const section = headings.find((h) => h.text.toLowerCase().includes(wanted));
      facts.runbook = { file: shown, found: !!section, ...(section ? { heading: section.text, line: section.line } : {}) };
      if (!section) {
        const title = headings.find((h) => h.depth === 1) ?? headings[0];
        const finding: Finding = {
          severity: 'fail',
          code: 'runbook.windows-missing',
          file: shown,
          line: title?.line ?? 1,
          message:
            `no section whose heading contains "${opts.windowsHeading}"; add one (e.g. "## Windows credential storage") that says how Windows users keep the gateway key out of ` +
            'committed configs: Windows Credential Manager (cmdkey), PowerShell SecretManagement, VS Code ${input:} prompts',
        };
        findings.push(finding);
        docFindings.add(finding);
      } else if (!section.hasBody) {
        const finding: Finding = {
          severity: 'warn',
          code: 'runbook.windows-empty',
          file: shown,
          line: section.line,
          message: `the "${section.text}" section is empty; say where Windows users store the key (Credential Manager, SecretManagement) and how the client reads it`,
        };
        findings.push(finding);
        docFindings.add(finding);
      }
    }
  }

  // The matrix: one config cell per required host.
  const fileWide = findings.filter((f) => !findingHosts.has(f) && !docFindings.has(f) && f.severity !== 'info');
  for (const host of required) {
    const relevant = [...fileWide, ...findings.filter((f) => findingHosts.get(f) === host.name)].filter((f) => f.severity !== 'info');
    const worst = relevant.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])[0];
    const cell: ClientMatrixCell = { client: spec.client, host: host.name, aspect: 'config', status: worst ? (worst.severity === 'fail' ? 'fail' : 'warn') : 'pass' };
    if (worst) cell.note = `${worst.file ?? ''}${worst.line ? `:${worst.line}` : ''}${worst.file ? ': ' : ''}${worst.message}`;
    else cell.note = `${facts.files.length} file(s) reach ${endpointFor(host, mcpPath)} with the key and x-mcp-servers`;
    facts.clientMatrix.push(cell);
  }

  const serverCount = facts.files.reduce((n, f) => n + f.servers.filter((s) => s.host).length, 0);
  const passSummary =
    `${facts.files.length} ${spec.name} config file(s) (${facts.files.map((f) => f.file).join(', ')}): ${serverCount} gateway server entr${serverCount === 1 ? 'y' : 'ies'} ` +
    `for ${required.map((h) => `${h.name} (${new URL(h.url).protocol.replace(':', '')})`).join(' and ')}, key by reference and x-mcp-servers on each` +
    (facts.runbook?.found ? `; Windows section "${facts.runbook.heading}" at ${facts.runbook.file}:${facts.runbook.line}` : '');
  return finish(statusOf(findings), summarizeFindings(findings, passSummary));
}

/** Calls `visit` for every string leaf with the keys leading to it. */
function walkStrings(value: unknown, keys: (string | number)[], visit: (value: string, keys: (string | number)[]) => void): void {
  if (typeof value === 'string') visit(value, keys);
  else if (Array.isArray(value)) value.forEach((item, index) => walkStrings(item, [...keys, index], visit));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walkStrings(item, [...keys, key], visit);
}

/** ATX headings outside fenced code, with whether anything but blank lines follows before the next heading. */
export function markdownHeadings(text: string): { depth: number; text: string; line: number; hasBody: boolean }[] {
  const lines = text.split(/\r?\n/);
  const headings: { depth: number; text: string; line: number; hasBody: boolean }[] = [];
  let fence: string | undefined;
  lines.forEach((line, index) => {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1]![0]!;
      else if (fenceMatch[1]![0] === fence) fence = undefined;
      if (headings.length) headings.at(-1)!.hasBody = true;
      return;
    }
    if (fence) return;
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const parent = headings.at(-1);
      if (parent && parent.depth < heading[1]!.length) parent.hasBody = true;
      headings.push({ depth: heading[1]!.length, text: heading[2]!, line: index + 1, hasBody: false });
      return;
    }
    if (line.trim() && headings.length) headings.at(-1)!.hasBody = true;
  });
  return headings;
}

/** How to write a non-header secret (an `env` value, say) by reference in this client. */
function referenceAdvice(spec: ClientSpec, field: string): string {
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? field : 'NAME';
  return spec.client === 'vscode'
    ? `write "\${input:${name.toLowerCase().replaceAll('_', '-')}}" and declare it under "inputs" as {"type": "promptString", "password": true}`
    : `write "\${${name}}" and set ${name} in the environment Claude Code starts from`;
}

function tryUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const vscodeConfigProbe: Probe<ClientConfigFacts> = {
  id: 'vscode.config',
  inputs: inputsOf(VSCODE),
  run: (context) => runClientProbe(VSCODE, context),
};

export const claudeConfigProbe: Probe<ClientConfigFacts> = {
  id: 'claude.config',
  inputs: inputsOf(CLAUDE),
  run: (context) => runClientProbe(CLAUDE, context),
};
