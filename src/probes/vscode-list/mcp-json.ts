/**
 * `.vscode/mcp.json` read as VS Code reads it: JSON with comments and trailing commas; `inputs`
 * (the prompts, e.g. a `promptString` with `password: true`) and `servers` (an `http` entry has a
 * `url` and `headers`). Then each server's URL and headers with VS Code's variables filled:
 * `${input:id}` with what the member would type (here: the variable `probes."vscode.list".inputs`
 * maps the id to), `${env:NAME}` from the environment (VS Code sends an empty value for an unset
 * one), `${workspaceFolder}`, `${userHome}`, `${pathSeparator}`. Any other `${…}` VS Code cannot
 * resolve here is left as written, as VS Code leaves it. Nothing read is executed.
 */
import os from 'node:os';
import path from 'node:path';
import { locate, scanJson, type JsonNode } from '../../formats/json.ts';
import { jsonFindingError } from '../../formats/json-errors.ts';
import { positionAt } from '../../formats/positions.ts';
import type { Config } from '../config.ts';
import { matchHost, tryUrl } from '../kit/client-shared.ts';
import { readInputText } from '../kit/read-input.ts';
import type { ProbeContext } from '../types.ts';

export interface VscodeInput {
  id: string;
  type?: string;
  /** The prompt's text. */
  description?: string;
  password: boolean;
}

export interface VscodeServer {
  name: string;
  type?: string;
  /** As written (variables unresolved). */
  url?: string;
  headers: Record<string, string>;
  /** The config host the URL is on. */
  host?: string;
  line: number;
}

export interface McpJsonFile {
  text?: string;
  inputs: VscodeInput[];
  servers: VscodeServer[];
  problem?: { message: string; line?: number; column?: number; missing?: boolean };
}

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

export async function readMcpJson(config: Config, file: string, signal?: AbortSignal): Promise<McpJsonFile> {
  const { text, error } = await readInputText(file, signal);
  if (text === undefined) return { inputs: [], servers: [], problem: { message: error, missing: true } };
  const scan = scanJson(text, { comments: true, trailingCommas: true });
  if (!scan.root || scan.error || !isObject(scan.value)) {
    const problem = scan.error ? jsonFindingError(scan.error, 'VS Code reads mcp.json as JSON with comments') : { offset: 0, message: 'the file holds no JSON object' };
    const { line, column } = positionAt(text, problem.offset);
    return { text, inputs: [], servers: [], problem: { message: problem.message, line, column } };
  }
  const root: JsonNode = scan.root;
  const inputs = (Array.isArray(scan.value.inputs) ? scan.value.inputs : []).filter(isObject).flatMap((input) =>
    typeof input.id === 'string' ? [{ id: input.id, ...(typeof input.type === 'string' ? { type: input.type } : {}), ...(typeof input.description === 'string' ? { description: input.description } : {}), password: input.password === true }] : [],
  );
  const entries = isObject(scan.value.servers) ? scan.value.servers : {};
  const servers = Object.entries(entries).filter(([, entry]) => isObject(entry)).map(([name, value]) => {
    const entry = value as Record<string, unknown>;
    const url = typeof entry.url === 'string' ? entry.url : undefined;
    const headers = isObject(entry.headers) ? Object.fromEntries(Object.entries(entry.headers).filter((h): h is [string, string] => typeof h[1] === 'string')) : {};
    const parsed = url ? tryUrl(url) : undefined;
    const host = parsed ? matchHost(parsed, config.hosts, 'ignore').host?.name : undefined;
    return {
      name,
      ...(typeof entry.type === 'string' ? { type: entry.type } : {}),
      ...(url !== undefined ? { url } : {}),
      headers,
      ...(host ? { host } : {}),
      line: positionAt(text, locate(root, ['servers', name]).offset).line,
    };
  });
  return { text, inputs, servers };
}

/** An `http` server (VS Code also takes an entry with a `url` and no `type` as one). */
export const isHttpServer = (server: VscodeServer): boolean => server.url !== undefined && (server.type === undefined || server.type === 'http' || server.type === 'sse');

/** Where a variable's value came from (never the value). */
export interface VariableSource {
  /** As written, e.g. `${input:litellm-key}`. */
  variable: string;
  source: string;
}

export interface VariableProblem {
  variable: string;
  code: 'input.undefined' | 'input.unmapped' | 'input.unset' | 'env.unset' | 'variable.unresolved';
  message: string;
}

/** The values VS Code's variables take for this run, and what could not be filled. */
export interface Substitution {
  /** Secrets to redact: every input's and env variable's value used. */
  secrets: string[];
  /** Input id → what a member types at its prompt (secret: typed on the code-server path, never recorded). */
  inputValues: Record<string, string>;
  sources: VariableSource[];
  problems: VariableProblem[];
  fill(value: string): string;
}

const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * A filler for the file's variables. `inputs`: input id → variable name (the option); the value
 * comes from the environment, else the secrets files (last wins), as for the gateway key.
 */
export function substitution(file: McpJsonFile, mcpJsonPath: string, inputs: Record<string, string>, context: Pick<ProbeContext, 'secrets'>, show: (file: string) => string): Substitution {
  const result: Substitution = { secrets: [], inputValues: {}, sources: [], problems: [], fill: (value) => value };
  const seen = new Map<string, string>();
  const workspaceFolder = path.dirname(path.dirname(mcpJsonPath));
  const problem = (variable: string, code: VariableProblem['code'], message: string): string => {
    if (!result.problems.some((p) => p.variable === variable)) result.problems.push({ variable, code, message });
    return variable;
  };
  const source = (variable: string, text: string, value: string): string => {
    if (!seen.has(variable)) {
      seen.set(variable, value);
      result.sources.push({ variable, source: text });
    }
    return value;
  };
  const resolve = (variable: string, body: string): string => {
    const [kind, ...rest] = body.split(':');
    const name = rest.join(':');
    if (kind === 'input' && rest.length) return inputValue(variable, name);
    if (kind === 'env' && rest.length) {
      const value = process.env[name];
      if (value === undefined) {
        problem(variable, 'env.unset', `${variable}: ${name} is not set in the environment; VS Code would send an empty value. Set ${name} where VS Code runs`);
        return '';
      }
      if (value) result.secrets.push(value);
      return source(variable, `(set, from ${name} in the environment)`, value);
    }
    if (body === 'workspaceFolder') return source(variable, '(the workspace folder)', workspaceFolder);
    if (body === 'userHome') return source(variable, '(the home folder)', os.homedir());
    if (body === 'pathSeparator' || body === '/') return path.sep;
    return problem(variable, 'variable.unresolved', `${variable}: VS Code cannot fill this variable for an MCP server here and sends it as written; use \${input:…} or \${env:…}`);
  };
  const inputValue = (variable: string, id: string): string => {
    if (!file.inputs.some((i) => i.id === id)) {
      return problem(variable, 'input.undefined', `${variable}: no input with id "${id}" in "inputs"; VS Code cannot start the server. Add {"type": "promptString", "id": "${id}", "password": true}`);
    }
    const from = inputs[id];
    if (!from) return problem(variable, 'input.unmapped', `${variable}: say what a member types at this prompt: map it with probes."vscode.list".inputs (e.g. ${id}: LITELLM_MASTER_KEY)`);
    const fromEnv = process.env[from];
    const entry = fromEnv ? undefined : context.secrets.findLast((e) => e.key === from && e.value);
    const value = fromEnv ?? entry?.value;
    if (!value) return problem(variable, 'input.unset', `${variable}: ${from} is not set in the environment or the secrets files; set it, or map the input to another variable`);
    result.secrets.push(value);
    result.inputValues[id] = value;
    return source(variable, `(typed at the prompt: ${from} from ${entry ? `${show(entry.file)}:${entry.line}` : 'the environment'})`, value);
  };
  result.fill = (value) => value.replace(VARIABLE, (variable, body: string) => resolve(variable, body));
  return result;
}

/** A server with its URL and headers filled, as VS Code would connect. */
export interface ResolvedServer extends VscodeServer {
  resolvedUrl: string;
  resolvedHeaders: Record<string, string>;
}

export function resolveServer(server: VscodeServer, fill: Substitution['fill']): ResolvedServer {
  return {
    ...server,
    resolvedUrl: fill(server.url ?? ''),
    resolvedHeaders: Object.fromEntries(Object.entries(server.headers).map(([name, value]) => [name, fill(value)])),
  };
}
