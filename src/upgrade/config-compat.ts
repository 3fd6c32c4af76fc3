/**
 * Would the team's LiteLLM `config.yaml` still mean the same under another LiteLLM version?
 *
 * Each key the config sets is looked up in the names of both versions' source
 * (./litellm-source.ts): a key the current version names and the target does not was renamed,
 * moved or dropped (the target would ignore it); a key neither names is ignored already (a
 * typo?); a key only the target names starts to take effect. No table of LiteLLM changes is
 * kept: the installed code is the reference.
 *
 * Which keys are checked: the top-level keys; the keys of `litellm_settings`, `general_settings`,
 * `router_settings`, of every `model_list` entry with its `litellm_params` and `model_info`, and of
 * every `mcp_servers.<server>` (not the server names); nested mappings and lists of mappings below
 * them, except under the keys in USER_CHOSEN, whose keys are names the team chose (models,
 * environment variables, headers, …), not LiteLLM's. Values are never checked.
 *
 * What a flat set of names cannot see: a key moved to another section under the same name (the
 * target still names it), and a key whose name only a common word spells (`timeout` is named
 * somewhere in every version). What it can see, it says at the key's `file:line:col`.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { InputError, yamlErrorOffset } from '../formats/input-error.ts';
import type { Finding } from '../model/findings.ts';
import { Findings } from '../probes/kit/findings.ts';

/** One LiteLLM version and the names its source spells. */
export interface VersionNames {
  version: string;
  names: ReadonlySet<string>;
}

/** A LiteLLM `config.yaml` parsed once for every check that reads it (this one, ./stdio-gate.ts). */
export interface LitellmConfigYaml {
  /** The file's text, where a YAML error is located. */
  text: string;
  /** The parsed file, its YAML errors in `document.errors` (configCompatibility reports them). */
  document: Document;
  /** A node's offset in `text` as a finding's line and column (1-based). */
  at(offset: number): { line: number; column: number };
}

/** `text` parsed as LiteLLM's PyYAML reads it; not yet checked (configCompatibility does that). */
export function parseLitellmConfig(text: string): LitellmConfigYaml {
  const lineCounter = new LineCounter();
  // Duplicate keys are allowed (PyYAML keeps the last): each one is a key to check. `<<` merges
  // as PyYAML's safe_load does.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return { text, document, at };
}

export interface ConfigCompatibilityInput {
  /** How findings name the file (as the user should see it). */
  configFile: string;
  /** The file, parsed (parseLitellmConfig). */
  yaml: LitellmConfigYaml;
  /** The version the team runs. */
  from: VersionNames;
  /** The version it would upgrade to. */
  to: VersionNames;
}

/** The sections whose keys (and nested keys) are LiteLLM's settings. */
const SETTINGS_SECTIONS = new Set(['litellm_settings', 'general_settings', 'router_settings']);

/** The keys of a `model_list` entry whose own keys are LiteLLM's parameters. */
const MODEL_SECTIONS = new Set(['litellm_params', 'model_info']);

/**
 * Keys whose mapping holds names the team chose, not LiteLLM's keys: nothing below them is
 * checked. Environment variables and headers (`env`, `headers`, …), model names as keys
 * (`model_group_alias`, the fallbacks, per-model retry policies), free-form data passed through
 * (`metadata`, `extra_body`, a service account's JSON in `vertex_credentials`), guardrail names.
 */
export const USER_CHOSEN: ReadonlySet<string> = new Set([
  'environment_variables',
  'env',
  'headers',
  'extra_headers',
  'static_headers',
  'extra_body',
  'extra_query',
  'metadata',
  'vertex_credentials',
  'model_group_alias',
  'model_group_retry_policy',
  'fallbacks',
  'context_window_fallbacks',
  'content_policy_fallbacks',
  'mcp_aliases',
  'guardrails',
]);

/** A key as written: its name, where it is, and the path shown in messages. */
interface ConfigKey {
  name: string;
  path: string;
  offset: number;
}

/**
 * The findings for one config: a `warn` (`config.key.dropped`) for each key the target no longer
 * names, an `info` for each key neither version names (`config.key.unknown`) or only the target
 * names (`config.key.new`), in the order of the file. Throws an InputError at `file:line:col`
 * when the file is not YAML or not a mapping.
 */
export function configCompatibility({ configFile, yaml, from, to }: ConfigCompatibilityInput): Finding[] {
  const { text, document, at } = yaml;
  const problem = document.errors[0];
  if (problem) {
    const where = yamlErrorOffset(text, problem);
    const { line, column } = at(where.offset);
    throw new InputError(configFile, line, column, `invalid YAML: ${where.message ?? problem.message.split('\n')[0]!.replace(/[.:]$/, '')} — fix the syntax; LiteLLM cannot load this file either`);
  }
  if (document.contents === null) return [];
  if (!isMap(document.contents)) {
    const { line, column } = at(document.contents.range?.[0] ?? 0);
    throw new InputError(configFile, line, column, 'the top level is not a mapping (`key: value`) — LiteLLM expects top-level keys such as `model_list` and `general_settings`');
  }

  const findings = new Findings(configFile);
  // Indexed on first use: most configs have no finding that needs them.
  let added: NamePool | undefined;
  let target: NamePool | undefined;
  for (const key of configKeys(document)) {
    const inFrom = from.names.has(key.name);
    const inTo = to.names.has(key.name);
    if (inFrom && inTo) continue;
    const where = at(key.offset);
    if (inFrom) {
      const perhaps = shown(key, (added ??= new NamePool([...to.names].filter((name) => !from.names.has(name)))).closeNames(key.name));
      findings.warn(
        'config.key.dropped',
        `LiteLLM ${to.version} never names \`${key.path}\` (${from.version} does): renamed, moved or dropped — check its release notes${perhaps ? `; perhaps ${perhaps}` : ''}`,
        where,
      );
    } else if (inTo) {
      findings.info('config.key.new', `LiteLLM ${from.version} never names \`${key.path}\`, ${to.version} does: ignored today, it takes effect after the upgrade`, where);
    } else {
      const perhaps = shown(key, (target ??= new NamePool(to.names)).closeNames(key.name));
      findings.info(
        'config.key.unknown',
        `neither LiteLLM ${from.version} nor ${to.version} names \`${key.path}\`: LiteLLM ignores it already — a typo? ${perhaps ? `Perhaps ${perhaps}` : 'Fix its name or remove it'}`,
        where,
      );
    }
  }
  return findings.list;
}

/** Close names as keys beside `key`: `` `general_settings.a` or `general_settings.b` `` ('' for none). */
function shown(key: ConfigKey, names: string[]): string {
  const parent = key.path.slice(0, key.path.length - key.name.length);
  return names.map((name) => `\`${parent}${name}\``).join(' or ');
}

/**
 * Every key the checks cover, once each, in the order of the file. A key reached through an
 * alias or a `<<` merge is checked where it is written; a node is walked once (an alias cannot
 * loop or multiply the walk).
 */
function configKeys(document: Document): ConfigKey[] {
  const keys = new Map<number, ConfigKey>();
  const walked = new Set<Node>();
  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(document) : node);
  const add = (pair: Pair, path: string): string | undefined => {
    const key = pair.key;
    if (!isScalar(key) || typeof key.value === 'symbol' || !key.range) return undefined;
    const name = String(key.value);
    if (!keys.has(key.range[0])) keys.set(key.range[0], { name, path: path ? `${path}.${name}` : name, offset: key.range[0] });
    return name;
  };
  /** LiteLLM's keys all the way down, but not below a key whose mapping holds the team's names. */
  const settings = (value: unknown, path: string): void => {
    const node = resolve(value);
    if (!isMap(node) && !isSeq(node)) return;
    if (walked.has(node)) return;
    walked.add(node);
    if (isSeq(node)) {
      node.items.forEach((item, i) => settings(item, `${path}[${i}]`));
      return;
    }
    for (const pair of node.items) {
      if (isMergeKey(pair)) {
        const merged = resolve(pair.value);
        if (isSeq(merged)) merged.items.forEach((item) => settings(item, path));
        else settings(merged, path);
        continue;
      }
      const name = add(pair, path);
      if (name !== undefined && !USER_CHOSEN.has(name)) settings(pair.value, path ? `${path}.${name}` : name);
    }
  };
  /** The keys of each entry of a mapping whose own keys are the team's names (`mcp_servers`). */
  const named = (value: unknown, path: string): void => {
    const node = resolve(value);
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (isScalar(pair.key)) settings(pair.value, `${path}.${String(pair.key.value)}`);
    }
  };
  const modelList = (value: unknown): void => {
    const node = resolve(value);
    if (!isSeq(node)) return;
    node.items.forEach((item, i) => {
      const entry = resolve(item);
      if (!isMap(entry)) return;
      for (const pair of entry.items) {
        const name = add(pair, `model_list[${i}]`);
        if (name !== undefined && MODEL_SECTIONS.has(name)) settings(pair.value, `model_list[${i}].${name}`);
      }
    });
  };

  for (const pair of (document.contents as { items: Pair[] }).items) {
    const name = add(pair, '');
    if (name === undefined) continue;
    if (SETTINGS_SECTIONS.has(name)) settings(pair.value, name);
    else if (name === 'model_list') modelList(pair.value);
    else if (name === 'mcp_servers') named(pair.value, name);
  }
  return [...keys.values()].sort((a, b) => a.offset - b.offset);
}

function isMergeKey(pair: Pair): boolean {
  return isScalar(pair.key) && typeof pair.key.value === 'symbol';
}

/** Words of a name, lower case: `masterKey`, `master_key` and `MASTER-KEY` are `master key`. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** How far a name may be from the key to be offered for it: none for short keys, 2 edits for long ones. */
function editLimit(name: string): number {
  return name.length >= 8 ? 2 : name.length >= 4 ? 1 : 0;
}

/** Names indexed for `closeNames`: by their words (sorted) and by length. */
export class NamePool {
  private readonly bySignature = new Map<string, string[]>();
  private readonly byLength: string[][] = [];
  constructor(names: Iterable<string>) {
    for (const name of names) {
      const signature = words(name).sort().join(' ');
      const same = this.bySignature.get(signature);
      if (same) same.push(name);
      else this.bySignature.set(signature, [name]);
      (this.byLength[name.length] ??= []).push(name);
    }
  }

  /**
   * Names close to `name`, best first, at most three: the same words in another order or case
   * first, then by edit distance (within `editLimit`, case ignored), then alphabetically.
   */
  closeNames(name: string): string[] {
    const close = new Map<string, number>();
    const signature = words(name).sort().join(' ');
    for (const other of (signature && this.bySignature.get(signature)) || []) if (other !== name) close.set(other, 0);
    const limit = editLimit(name);
    const lower = name.toLowerCase();
    for (let length = Math.max(1, name.length - limit); length <= name.length + limit; length++) {
      for (const other of this.byLength[length] ?? []) {
        if (close.has(other) || other === name) continue;
        const distance = editDistance(lower, other.toLowerCase(), limit);
        if (distance <= limit) close.set(other, Math.max(distance, 1));
      }
    }
    return [...close]
      .sort(([a, rankA], [b, rankB]) => rankA - rankB || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, 3)
      .map(([other]) => other);
  }
}

/** Levenshtein distance, giving up (returning `limit + 1`) once every path is over `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      best = Math.min(best, current[j]!);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}
