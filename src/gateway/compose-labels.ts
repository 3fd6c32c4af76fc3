/**
 * Reads Traefik labels from a docker-compose file (or a `docker run --label …` script), keeping
 * the line of each label so that every finding about routing can point at `file:line`; groups
 * them into routers, services and middlewares; and parses Traefik router rules.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export interface Label {
  service: string;
  key: string;
  value: string;
  file: string;
  line: number;
}

export interface TraefikRouter {
  name: string;
  rule?: string;
  entryPoints: string[];
  tls: boolean;
  certResolver?: string;
  service?: string;
  /** Line of the router's first label. */
  line: number;
  /** Compose service whose labels declare the router. */
  composeService: string;
  /** True when `service` comes from a `service=` label, false when it is implied. */
  serviceFromLabel: boolean;
  priority?: number;
  /** The `priority=` label as written (set even when it is not a number). */
  priorityRaw?: string;
  middlewares: string[];
  /** The router's `rulesyntax=` label (`v2` or `v3`), if any. */
  ruleSyntax?: string;
  /** Line of each of the router's labels by field, e.g. `{rule: 16, entrypoints: 17}`. */
  lines: Record<string, number>;
}

export interface TraefikService {
  name: string;
  port?: number;
  line: number;
  composeService: string;
  /** The `loadbalancer.server.port` label as written (set even when it is not a number). */
  portRaw?: string;
  portLine?: number;
}

export interface TraefikMiddleware {
  name: string;
  line: number;
  composeService: string;
}

export interface ComposeRouting {
  file: string;
  /** Compose service that carries the labels (e.g. `litellm`). */
  composeService: string;
  enabled: boolean;
  /** The `traefik.enable` label as written, and its line. */
  enableRaw?: string;
  enableLine?: number;
  network?: string;
  networkLine?: number;
  routers: TraefikRouter[];
  services: TraefikService[];
  middlewares: TraefikMiddleware[];
  labels: Label[];
}

/** A compose service (or one `docker run` command) and what Traefik's routing depends on. */
export interface ComposeServiceInfo {
  name: string;
  line: number;
  /** Line of the service's `labels:` key (compose) or of its `docker run` (script). */
  labelsLine?: number;
  image?: string;
  /** Networks the service joins; undefined when it names none (compose: `default`, docker run: `bridge`). */
  networks?: string[];
  networkMode?: string;
}

/** A top-level compose network. */
export interface NetworkInfo {
  key: string;
  /** `name:` of the network, when set. */
  name?: string;
  external: boolean;
  line: number;
}

/** Something wrong with the file itself (not with the routing it declares). */
export interface SourceProblem {
  severity: 'fail' | 'warn';
  code: string;
  line: number;
  /** 1-based column, when known (the message says it too). */
  column?: number;
  message: string;
}

/** Everything read from one compose file or `docker run` script. */
export interface LabelSource {
  file: string;
  format: 'compose' | 'docker-run' | 'labels';
  services: ComposeServiceInfo[];
  networks: NetworkInfo[];
  labels: Label[];
  problems: SourceProblem[];
  /** False when the file could not be read as this format at all (invalid YAML, no services, no docker run). */
  usable: boolean;
}

export class ComposeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComposeError';
  }
}

// ---------------------------------------------------------------------------------------------
// Reading files

/** Reads the labels of every service; throws a ComposeError (with file:line) on an unusable file. */
export async function readComposeLabels(file: string): Promise<Label[]> {
  const source = parseLabelSource(await readFile(file, 'utf8'), file);
  if (!source.usable) {
    const problem = source.problems.find((p) => p.severity === 'fail') ?? source.problems[0]!;
    throw new ComposeError(`${file}:${problem.line}: ${problem.message}`);
  }
  return source.labels;
}

/** Reads a compose file or a `docker run` script; `displayFile` is the name findings use. */
export async function readLabelSource(file: string, displayFile = file, signal?: AbortSignal): Promise<LabelSource> {
  return parseLabelSource(await readFile(file, { encoding: 'utf8', signal }), displayFile);
}

/** A `.sh`/`.bash` file or one starting with `#!` is a `docker run` script; anything else is compose YAML. */
export function parseLabelSource(text: string, file: string): LabelSource {
  const ext = path.extname(file).toLowerCase();
  const isScript = ext === '.sh' || ext === '.bash' || text.replace(/^\uFEFF/, '').startsWith('#!');
  return isScript ? parseDockerRunScript(text, file) : parseComposeText(text, file);
}

// ---------------------------------------------------------------------------------------------
// Compose YAML

export function parseComposeText(text: string, file: string): LabelSource {
  const source: LabelSource = { file, format: 'compose', services: [], networks: [], labels: [], problems: [], usable: false };
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    const problem = document.errors[0]!;
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    source.problems.push({
      severity: 'fail',
      code: 'compose.invalid-yaml',
      line,
      column: col,
      message: `invalid YAML at column ${col}: ${problem.message.split('\n')[0]}; fix the syntax (docker compose cannot read this file either)`,
    });
    return source;
  }
  const lineOf = (node: unknown) => {
    const range = (node as Node | null | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(document as Document) : node);

  const servicesNode = resolve(document.get('services', true));
  if (!isMap(servicesNode)) {
    source.problems.push({
      severity: 'fail',
      code: 'compose.no-services',
      line: isMap(document.contents) ? lineOf(document.contents) : 1,
      message: 'no `services:` map; point gateway.composeFile at the docker-compose file that runs LiteLLM',
    });
    return source;
  }
  source.usable = true;

  const networksNode = resolve(document.get('networks', true));
  if (isMap(networksNode)) {
    for (const pair of networksNode.items) {
      if (!isScalar(pair.key)) continue;
      const value = resolve(pair.value);
      const name = isMap(value) ? resolve(value.get('name', true)) : undefined;
      const external = isMap(value) ? resolve(value.get('external', true)) : undefined;
      source.networks.push({
        key: String(pair.key.value),
        name: isScalar(name) && name.value != null ? String(name.value) : undefined,
        external: isScalar(external) ? external.value === true || String(external.value) === 'true' : isMap(external),
        line: lineOf(pair.key),
      });
    }
  }

  for (const pair of servicesNode.items) {
    if (!isScalar(pair.key)) continue;
    const service = String(pair.key.value);
    const body = resolve(pair.value);
    const info: ComposeServiceInfo = { name: service, line: lineOf(pair.key) };
    source.services.push(info);
    if (!isMap(body)) continue;

    const image = resolve(body.get('image', true));
    if (isScalar(image) && image.value != null) info.image = String(image.value);
    const networkMode = resolve(body.get('network_mode', true));
    if (isScalar(networkMode) && networkMode.value != null) info.networkMode = String(networkMode.value);
    const networks = resolve(body.get('networks', true));
    if (isSeq(networks)) {
      info.networks = networks.items.map((n) => {
        const item = resolve(n);
        return String(isScalar(item) ? item.value : item);
      });
    }
    else if (isMap(networks)) info.networks = networks.items.map((n) => String(isScalar(n.key) ? n.key.value : n.key));

    const labelsPair = body.items.find((p) => isScalar(p.key) && p.key.value === 'labels');
    if (!labelsPair) continue;
    info.labelsLine = lineOf(labelsPair.key);
    readLabelsNode(resolve(labelsPair.value), service);
  }
  return source;

  /** `overridden`: keys set explicitly by the map that merges this one (they win over merged keys). */
  function readLabelsNode(node: unknown, service: string, overridden: Set<string> = new Set()): void {
    if (isSeq(node)) {
      // List form: "- traefik.http.routers.x.rule=Host(`h`)"
      for (const raw of node.items) {
        const item = resolve(raw);
        if (isMap(item)) {
          source.problems.push({
            severity: 'fail',
            code: 'label.not-a-string',
            line: lineOf(item),
            message:
              'this labels list item is a map (`key: value`), which docker compose rejects; ' +
              'quote it as "key=value" or turn `labels:` into a map',
          });
          continue;
        }
        if (!isScalar(item) || item.value == null) continue;
        const text = String(item.value);
        const eq = text.indexOf('=');
        if (eq < 0) {
          if (text.trim().startsWith('traefik.')) {
            source.problems.push({
              severity: 'warn',
              code: 'label.no-value',
              line: lineOf(item),
              message: `label "${text.trim()}" has no "=" and so an empty value; write it as "${text.trim()}=<value>"`,
            });
          }
          continue;
        }
        source.labels.push({ service, key: text.slice(0, eq).trim(), value: text.slice(eq + 1).trim(), file, line: lineOf(item) });
      }
    } else if (isMap(node)) {
      // Map form: "traefik.http.routers.x.rule: Host(`h`)"; `<<: *anchor` merges another map,
      // whose keys yield to the ones this map sets itself (YAML merge-key semantics).
      const own = new Set(node.items.filter((i) => isScalar(i.key) && i.key.value !== '<<').map((i) => String((i.key as { value: unknown }).value)));
      const keep = new Set([...overridden, ...own]);
      for (const item of node.items) {
        if (!isScalar(item.key)) continue;
        if (item.key.value === '<<') {
          const merged = resolve(item.value);
          for (const part of isSeq(merged) ? merged.items.map(resolve) : [merged]) readLabelsNode(part, service, keep);
          continue;
        }
        if (overridden.has(String(item.key.value))) continue;
        const value = resolve(item.value);
        source.labels.push({
          service,
          key: String(item.key.value),
          value: isScalar(value) && value.value != null ? String(value.value) : '',
          file,
          line: lineOf(item.key),
        });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// docker run scripts

interface ShellWord {
  text: string;
  line: number;
}

/** `docker run` flags that take no value; every other flag takes one (`--flag value` or `--flag=value`). */
const DOCKER_BOOLEAN_FLAGS = new Set([
  '--detach', '--interactive', '--tty', '--rm', '--init', '--privileged', '--read-only', '--publish-all',
  '--no-healthcheck', '--oom-kill-disable', '--sig-proxy', '--disable-content-trust', '--help', '--quiet', '--use-api-socket',
]);
const DOCKER_BOOLEAN_SHORT = new Set(['d', 'i', 't', 'P', 'q']);

/**
 * Reads `docker run … --label "k=v" \` commands (also `-l k=v`, `--label=k=v`, `docker container run`,
 * `docker create`, `podman run`). Each command becomes a service named by `--name` (else its image).
 */
export function parseDockerRunScript(text: string, file: string): LabelSource {
  const source: LabelSource = { file, format: 'docker-run', services: [], networks: [], labels: [], problems: [], usable: false };
  const { commands, problem } = splitShell(text);
  if (problem) {
    source.problems.push({ severity: 'fail', code: 'docker-run.syntax', line: problem.line, message: problem.message });
    return source;
  }

  for (const words of commands) {
    const start = dockerRunStart(words);
    if (start < 0) continue;
    const info: ComposeServiceInfo = { name: '', line: words[start]!.line, labelsLine: words[start]!.line };
    const labels: Label[] = [];
    let i = start;
    const valueOf = (flag: string, attached: string | undefined): ShellWord | undefined => {
      if (attached !== undefined) return { text: attached, line: words[i]!.line };
      const next = words[i + 1];
      if (!next) {
        source.problems.push({ severity: 'fail', code: 'docker-run.syntax', line: words[i]!.line, message: `${flag} has no value` });
        return undefined;
      }
      i++;
      return next;
    };
    for (; i < words.length; i++) {
      const word = words[i]!.text;
      if (word === '--') {
        i++;
        break;
      }
      if (!word.startsWith('-') || word === '-') break; // the image
      let flag: string;
      let attached: string | undefined;
      if (word.startsWith('--')) {
        const eq = word.indexOf('=');
        flag = eq < 0 ? word : word.slice(0, eq);
        attached = eq < 0 ? undefined : word.slice(eq + 1);
        if (DOCKER_BOOLEAN_FLAGS.has(flag)) continue;
      } else {
        // Short flags: a cluster of boolean ones (-dit), or one that takes a value (-l k=v, -lk=v).
        const letters = word.slice(1);
        const firstValued = [...letters].findIndex((c) => !DOCKER_BOOLEAN_SHORT.has(c));
        if (firstValued < 0) continue;
        flag = `-${letters[firstValued]}`;
        const rest = letters.slice(firstValued + 1);
        attached = rest ? rest.replace(/^=/, '') : undefined;
      }
      const value = valueOf(flag, attached);
      if (!value) continue;
      if (flag === '--label' || flag === '-l') {
        const eq = value.text.indexOf('=');
        const key = (eq < 0 ? value.text : value.text.slice(0, eq)).trim();
        labels.push({ service: '', key, value: eq < 0 ? '' : value.text.slice(eq + 1).trim(), file, line: value.line });
      } else if (flag === '--name') info.name = value.text;
      else if (flag === '--network' || flag === '--net') (info.networks ??= []).push(value.text.split(',')[0]!.replace(/^name=/, ''));
      else if (flag === '--label-file') {
        source.problems.push({
          severity: 'warn',
          code: 'docker-run.label-file',
          line: value.line,
          message: `labels from --label-file ${value.text} are not read; put the Traefik labels on --label lines to have them checked`,
        });
      }
    }
    if (i < words.length) info.image = words[i]!.text;
    info.name ||= (info.image ?? 'container').replace(/[:@].*$/, '').split('/').pop()!;
    if (info.networks?.length === 1 && ['host', 'none'].includes(info.networks[0]!)) info.networkMode = info.networks[0];
    for (const label of labels) label.service = info.name;
    source.services.push(info);
    source.labels.push(...labels);
  }
  if (source.services.length === 0) {
    source.problems.push({
      severity: 'fail',
      code: 'docker-run.none',
      line: 1,
      message: 'no `docker run` command found; point gateway.composeFile at the compose file or script that starts LiteLLM',
    });
  } else source.usable = true;
  return source;
}

/** Index of the first option after `docker run` / `docker container run` / `docker create` / `podman run`, or -1. */
function dockerRunStart(words: ShellWord[]): number {
  for (let i = 0; i < words.length; i++) {
    const command = words[i]!.text.split('/').pop();
    if (command !== 'docker' && command !== 'podman') continue;
    let j = i + 1;
    if (words[j]?.text === 'container') j++;
    if (words[j]?.text === 'run' || words[j]?.text === 'create') return j + 1;
  }
  return -1;
}

/**
 * Splits a shell script into simple commands of unquoted words, each with the line it starts on.
 * Handles quotes, backslash escapes, line continuations, comments and `; && || | &` separators;
 * enough for the scripts that start containers, not a full shell.
 */
function splitShell(text: string): { commands: ShellWord[][]; problem?: { line: number; message: string } } {
  const commands: ShellWord[][] = [];
  let words: ShellWord[] = [];
  let word: ShellWord | undefined;
  let line = 1;
  const endWord = () => {
    if (word) words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length) commands.push(words);
    words = [];
  };
  const append = (s: string) => {
    word ??= { text: '', line };
    word.text += s;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '\n') line++;
      else if (next === '\r' && text[i + 2] === '\n') {
        line++;
        i++;
      } else if (next !== undefined) append(next);
      i++;
    } else if (c === '\n') {
      endCommand();
      line++;
    } else if (c === ' ' || c === '\t' || c === '\r') endWord();
    else if (c === '#' && !word) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === ';' || c === '|' || c === '&') {
      endCommand();
      if ((c === '|' || c === '&') && text[i + 1] === c) i++;
    } else if (c === "'") {
      const startLine = line;
      const close = text.indexOf("'", i + 1);
      if (close < 0) return { commands, problem: { line: startLine, message: 'unclosed single quote; close it' } };
      const part = text.slice(i + 1, close);
      word ??= { text: '', line };
      word.text += part;
      line += part.split('\n').length - 1;
      i = close;
    } else if (c === '"') {
      const startLine = line;
      word ??= { text: '', line };
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        const d = text[j]!;
        if (d === '\\' && '"\\$`\n'.includes(text[j + 1] ?? '')) {
          if (text[j + 1] === '\n') line++;
          else word.text += text[j + 1];
          j++;
        } else {
          if (d === '\n') line++;
          word.text += d;
        }
      }
      if (j >= text.length) return { commands, problem: { line: startLine, message: 'unclosed double quote; close it' } };
      i = j;
    } else append(c);
  }
  endCommand();
  return { commands };
}

// ---------------------------------------------------------------------------------------------
// Grouping labels

/** Groups the Traefik labels of one compose service into routers, services and middlewares. */
export function toRouting(labels: Label[], composeService: string, file: string): ComposeRouting {
  const own = labels.filter((l) => l.service === composeService && l.key.toLowerCase().startsWith('traefik.'));
  const routers = new Map<string, TraefikRouter>();
  const services = new Map<string, TraefikService>();
  const middlewares = new Map<string, TraefikMiddleware>();
  const routing: ComposeRouting = { file, composeService, enabled: false, routers: [], services: [], middlewares: [], labels: own };
  const tlsLabel = new Map<string, boolean>();

  for (const label of own) {
    // Traefik matches label field names case-insensitively; router/service names keep their case.
    const parts = label.key.split('.');
    const lower = parts.map((p) => p.toLowerCase());
    const name = parts[3];
    const field = lower.slice(4).join('.');
    if (lower.join('.') === 'traefik.enable') {
      routing.enableRaw = label.value;
      routing.enableLine = label.line;
      routing.enabled = label.value.trim().toLowerCase() === 'true';
    } else if (lower.join('.') === 'traefik.docker.network') {
      routing.network = label.value;
      routing.networkLine = label.line;
    } else if (lower[1] === 'http' && lower[2] === 'routers' && name) {
      let router = routers.get(name);
      if (!router) {
        router = { name, entryPoints: [], tls: false, line: label.line, composeService, serviceFromLabel: false, middlewares: [], lines: {} };
        routers.set(name, router);
      }
      router.lines[field] = label.line;
      const list = () => label.value.split(',').map((s) => s.trim()).filter(Boolean);
      if (field === 'rule') router.rule = label.value;
      else if (field === 'entrypoints') router.entryPoints = list();
      else if (field === 'tls') tlsLabel.set(name, label.value.trim().toLowerCase() === 'true');
      else if (field.startsWith('tls.')) {
        router.tls = true;
        if (field === 'tls.certresolver') router.certResolver = label.value;
      } else if (field === 'service') {
        router.service = label.value;
        router.serviceFromLabel = true;
      } else if (field === 'priority') {
        router.priorityRaw = label.value;
        router.priority = /^-?\d+$/.test(label.value.trim()) ? Number(label.value) : undefined;
      } else if (field === 'middlewares') router.middlewares = list();
      else if (field === 'rulesyntax') router.ruleSyntax = label.value.trim();
    } else if (lower[1] === 'http' && lower[2] === 'services' && name) {
      const service = services.get(name) ?? { name, line: label.line, composeService };
      services.set(name, service);
      if (field === 'loadbalancer.server.port') {
        service.portRaw = label.value;
        service.portLine = label.line;
        service.port = /^\d+$/.test(label.value.trim()) ? Number(label.value) : undefined;
      }
    } else if (lower[1] === 'http' && lower[2] === 'middlewares' && name) {
      if (!middlewares.has(name)) middlewares.set(name, { name, line: label.line, composeService });
    }
  }
  for (const [name, on] of tlsLabel) if (on) routers.get(name)!.tls = true;
  // Like Traefik's Docker provider: a router without `service=` uses the only service there is.
  if (services.size === 1) {
    const [only] = services.keys();
    for (const router of routers.values()) router.service ??= only;
  }
  routing.routers = [...routers.values()];
  routing.services = [...services.values()];
  routing.middlewares = [...middlewares.values()];
  return routing;
}

// ---------------------------------------------------------------------------------------------
// Router rules

export type RuleNode =
  | { type: 'matcher'; name: string; args: string[]; position: number }
  | { type: 'not'; operand: RuleNode }
  | { type: 'and' | 'or'; left: RuleNode; right: RuleNode };

export class RuleSyntaxError extends Error {
  /** 1-based character of the rule where the problem is. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'RuleSyntaxError';
    this.position = position;
  }
}

interface RuleToken {
  kind: 'ident' | 'string' | '(' | ')' | ',' | '&&' | '||' | '!' | 'end';
  value: string;
  /** 1-based. */
  position: number;
}

function tokenizeRule(rule: string): RuleToken[] {
  const tokens: RuleToken[] = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i]!;
    const position = i + 1;
    if (/\s/.test(c)) i++;
    else if (c === '`') {
      const close = rule.indexOf('`', i + 1);
      if (close < 0) throw new RuleSyntaxError(`unclosed backtick at character ${position}`, position);
      tokens.push({ kind: 'string', value: rule.slice(i + 1, close), position });
      i = close + 1;
    } else if (c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < rule.length && rule[j] !== '"'; j++) {
        if (rule[j] === '\\' && j + 1 < rule.length) j++;
        value += rule[j];
      }
      if (j >= rule.length) throw new RuleSyntaxError(`unclosed double quote at character ${position}`, position);
      tokens.push({ kind: 'string', value, position });
      i = j + 1;
    } else if (c === "'") {
      throw new RuleSyntaxError(`single quote at character ${position}; Traefik rule values go in backticks`, position);
    } else if (c === '&' || c === '|') {
      if (rule[i + 1] !== c) throw new RuleSyntaxError(`lone "${c}" at character ${position}; use "${c}${c}"`, position);
      tokens.push({ kind: c === '&' ? '&&' : '||', value: c + c, position });
      i += 2;
    } else if ('(),!'.includes(c)) {
      tokens.push({ kind: c as '(' | ')' | ',' | '!', value: c, position });
      i++;
    } else if (/[A-Za-z]/.test(c)) {
      const match = /^[A-Za-z][A-Za-z0-9_]*/.exec(rule.slice(i))![0];
      tokens.push({ kind: 'ident', value: match, position });
      i += match.length;
    } else {
      throw new RuleSyntaxError(`unexpected "${c}" at character ${position}`, position);
    }
  }
  tokens.push({ kind: 'end', value: '', position: rule.length + 1 });
  return tokens;
}

/** Parses a Traefik router rule: matchers with quoted arguments, `!`, `&&`, `||` and parentheses. */
export function parseRule(rule: string): RuleNode {
  const tokens = tokenizeRule(rule);
  let index = 0;
  const peek = () => tokens[index]!;
  const next = () => tokens[index++]!;
  const describeToken = (t: RuleToken) => (t.kind === 'end' ? 'the end of the rule' : `"${t.value}"`);

  const parseOr = (): RuleNode => {
    let left = parseAnd();
    while (peek().kind === '||') {
      next();
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): RuleNode => {
    let left = parseUnary();
    while (peek().kind === '&&') {
      next();
      left = { type: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): RuleNode => {
    if (peek().kind === '!') {
      next();
      return { type: 'not', operand: parseUnary() };
    }
    const token = next();
    if (token.kind === '(') {
      const inner = parseOr();
      const close = next();
      if (close.kind !== ')') {
        throw new RuleSyntaxError(
          `"(" at character ${token.position} is never closed (found ${describeToken(close)} at character ${close.position})`,
          token.position,
        );
      }
      return inner;
    }
    if (token.kind !== 'ident') {
      throw new RuleSyntaxError(
        `expected a matcher such as Host(\`…\`) at character ${token.position}, found ${describeToken(token)}`,
        token.position,
      );
    }
    const open = next();
    if (open.kind !== '(') {
      throw new RuleSyntaxError(`expected "(" after ${token.value} at character ${open.position}`, open.position);
    }
    const args: string[] = [];
    if (peek().kind !== ')') {
      for (;;) {
        const arg = next();
        if (arg.kind !== 'string') {
          throw new RuleSyntaxError(
            `expected a quoted value in ${token.value}(…) at character ${arg.position}, found ${describeToken(arg)}`,
            arg.position,
          );
        }
        args.push(arg.value);
        if (peek().kind !== ',') break;
        next();
      }
    }
    const close = next();
    if (close.kind !== ')') {
      throw new RuleSyntaxError(
        `${token.value}( at character ${open.position} is never closed (found ${describeToken(close)} at character ${close.position})`,
        open.position,
      );
    }
    return { type: 'matcher', name: token.value, args, position: token.position };
  };

  const tree = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') {
    const what = rest.kind === ')' ? '")" without a matching "("' : `${describeToken(rest)}; join matchers with && or ||`;
    throw new RuleSyntaxError(`unexpected ${what} at character ${rest.position}`, rest.position);
  }
  return tree;
}

/** Every matcher of a rule tree, in order. */
export function matchersOf(node: RuleNode): Extract<RuleNode, { type: 'matcher' }>[] {
  if (node.type === 'matcher') return [node];
  if (node.type === 'not') return matchersOf(node.operand);
  return [...matchersOf(node.left), ...matchersOf(node.right)];
}

/** Hostnames named by `Host(...)` matchers in a rule, e.g. Host(`a`) || Host(`b`, `c`). */
export function hostsInRule(rule: string): string[] {
  try {
    return matchersOf(parseRule(rule))
      .filter((m) => m.name.toLowerCase() === 'host')
      .flatMap((m) => m.args);
  } catch {
    const hosts: string[] = [];
    for (const match of rule.matchAll(/Host\(([^)]*)\)/g)) {
      for (const quoted of match[1]!.matchAll(/[`"']([^`"']+)[`"']/g)) hosts.push(quoted[1]!);
    }
    return hosts;
  }
}

const normaliseHost = (host: string) => host.trim().toLowerCase().replace(/\.$/, '');

/** A JS RegExp for a HostRegexp argument: v3 takes a Go regexp, v2 a `{name:regexp}` template. */
function hostRegexp(pattern: string, syntax: 'v2' | 'v3'): RegExp | undefined {
  try {
    if (syntax === 'v3') return new RegExp(pattern, 'i');
    let source = '';
    for (const part of pattern.split(/(\{[^}]*\})/)) {
      if (part.startsWith('{') && part.endsWith('}')) {
        const colon = part.indexOf(':');
        source += colon < 0 ? '[^.]+' : `(?:${part.slice(colon + 1, -1)})`;
      } else source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${source}$`, 'i');
  } catch {
    return undefined;
  }
}

/**
 * Whether a rule can match requests for `hostname`: true/false when the Host matchers decide it,
 * undefined ("depends") when other matchers (paths, headers, …) decide. Kleene logic.
 */
export function ruleMatchesHost(node: RuleNode, hostname: string, syntax: 'v2' | 'v3' = 'v3'): boolean | undefined {
  const host = normaliseHost(hostname);
  switch (node.type) {
    case 'matcher': {
      const name = node.name.toLowerCase();
      if (name === 'host' || name === 'hostheader') return node.args.some((a) => normaliseHost(a) === host);
      if (name === 'hostregexp') {
        const results = node.args.map((a) => hostRegexp(a, syntax)?.test(host));
        if (results.some((r) => r === true)) return true;
        return results.every((r) => r === false) ? false : undefined;
      }
      return undefined;
    }
    case 'not': {
      const value = ruleMatchesHost(node.operand, hostname, syntax);
      return value === undefined ? undefined : !value;
    }
    case 'and': {
      const left = ruleMatchesHost(node.left, hostname, syntax);
      const right = ruleMatchesHost(node.right, hostname, syntax);
      if (left === false || right === false) return false;
      return left === true && right === true ? true : undefined;
    }
    case 'or': {
      const left = ruleMatchesHost(node.left, hostname, syntax);
      const right = ruleMatchesHost(node.right, hostname, syntax);
      if (left === true || right === true) return true;
      return left === false && right === false ? false : undefined;
    }
  }
}

/** True when a Host/HostRegexp matcher outside any `!` names `hostname`. */
export function ruleNamesHost(node: RuleNode, hostname: string, syntax: 'v2' | 'v3' = 'v3', negated = false): boolean {
  if (node.type === 'not') return ruleNamesHost(node.operand, hostname, syntax, !negated);
  if (node.type !== 'matcher') {
    return ruleNamesHost(node.left, hostname, syntax, negated) || ruleNamesHost(node.right, hostname, syntax, negated);
  }
  return !negated && /^host/i.test(node.name) && ruleMatchesHost(node, hostname, syntax) === true;
}

/** Matchers and how many arguments each takes, per rule syntax (`[min, max]`). */
export const RULE_MATCHERS: Record<'v2' | 'v3', Record<string, [number, number]>> = {
  v3: {
    ClientIP: [1, 1],
    Method: [1, 1],
    Host: [1, 1],
    HostRegexp: [1, 1],
    Path: [1, 1],
    PathRegexp: [1, 1],
    PathPrefix: [1, 1],
    Header: [2, 2],
    HeaderRegexp: [2, 2],
    Query: [1, 2],
    QueryRegexp: [1, 2],
  },
  v2: {
    ClientIP: [1, Infinity],
    Method: [1, Infinity],
    Host: [1, Infinity],
    HostHeader: [1, Infinity],
    HostRegexp: [1, Infinity],
    Path: [1, Infinity],
    PathPrefix: [1, Infinity],
    Headers: [2, 2],
    HeadersRegexp: [2, 2],
    Query: [1, Infinity],
  },
};

/** Problems Traefik would reject the rule for: unknown matchers and wrong argument counts. */
export function ruleMatcherProblems(node: RuleNode, syntax: 'v2' | 'v3'): string[] {
  const table = RULE_MATCHERS[syntax];
  const problems: string[] = [];
  for (const matcher of matchersOf(node)) {
    const known = Object.keys(table).find((k) => k === matcher.name || k.toLowerCase() === matcher.name);
    if (!known) {
      const other = Object.keys(RULE_MATCHERS[syntax === 'v3' ? 'v2' : 'v3']).find((k) => k === matcher.name);
      problems.push(
        other
          ? `${matcher.name}() at character ${matcher.position} is ${syntax === 'v3' ? 'Traefik v2' : 'Traefik v3'} syntax, not ${syntax}`
          : `unknown matcher ${matcher.name}() at character ${matcher.position} (known: ${Object.keys(table).join(', ')})`,
      );
      continue;
    }
    const [min, max] = table[known]!;
    const count = matcher.args.length;
    if (count < min || count > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} or ${max}`;
      problems.push(`${known}() at character ${matcher.position} has ${count} value${count === 1 ? '' : 's'}; ${syntax} rules expect ${expected}`);
    }
  }
  return problems;
}
