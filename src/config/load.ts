/**
 * Loads and validates `proofbook.config.yaml`.
 *
 * Errors name the file, the line and column, the field path, what was wrong and the
 * field's own description, so the fix is obvious without opening the docs.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { decodeTextInput, yamlErrorOffset } from '../formats/input-error.ts';
import { EXIT_CODE, ProofbookError } from '../model/errors.ts';
import { moveLegacyMcpOptions, userFieldPath, type MovedField } from './gateway-mcp.ts';
import { ConfigSchema, configSchema, type Host, type RawConfig } from './schema.ts';

export const CONFIG_FILE_NAME = 'proofbook.config.yaml';

/** A config error; `exitCode` 2 means "usage or config error" for every CLI. */
export class ConfigError extends ProofbookError {
  readonly exitCode = EXIT_CODE.usage;
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.file = file;
  }
}

/** The validated config with every path made absolute; `Probes` is the type of `probes:`. */
export interface Config<Probes = Record<string, unknown>> extends RawConfig<Probes> {
  /** Absolute path of the config file. */
  configPath: string;
  /** Folder that holds the config file; relative paths start here. */
  rootDir: string;
  hostByName(name: string): Host;
}

export interface LoadOptions<Probes = Record<string, unknown>> {
  /** Probe ids that exist; plan bindings naming any other are reported. */
  knownProbes?: string[];
  /**
   * Called once per deprecated field the loaded config still sets ("file:line:col: … moved to …;
   * move it there (it still works)"), after it loaded. Commands that report (refresh, verify) pass
   * their warning line; the others load quietly.
   */
  onWarning?: (line: string) => void;
  /** The schema of `probes:` (src/probes/options.ts); without it, probe options are taken as they are. */
  probeOptions?: z.ZodType<Probes>;
}

export async function loadConfig<Probes = Record<string, unknown>>(configPath: string, options: LoadOptions<Probes> = {}): Promise<Config<Probes>> {
  const absolute = path.resolve(configPath);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    throw new ConfigError(
      absolute,
      `${absolute}: cannot read the Proofbook config (${(error as NodeJS.ErrnoException).code ?? error}). ` +
        `Create ${CONFIG_FILE_NAME} in your workspace or pass --config <file>.`,
    );
  }
  const decoded = decodeTextInput(bytes, 'the Proofbook config');
  if (decoded.problem) {
    const { line, column, message } = decoded.problem;
    throw new ConfigError(absolute, `${absolute}:${line}:${column}: ${message}`);
  }
  return parseConfig(decoded.text, absolute, options);
}

export function parseConfig<Probes = Record<string, unknown>>(text: string, configPath: string, options: LoadOptions<Probes> = {}): Config<Probes> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const yamlProblem = document.errors[0];
  if (yamlProblem) {
    const where = yamlErrorOffset(text, yamlProblem);
    const { line, col } = lineCounter.linePos(where.offset);
    throw new ConfigError(
      configPath,
      `${configPath}:${line}:${col}: invalid YAML: ${where.message ?? yamlProblem.message.split('\n')[0]}. Fix the syntax and run again.`,
    );
  }
  if (document.contents && !isMap(document.contents)) {
    const { line, col } = lineCounter.linePos(document.contents.range?.[0] ?? 0);
    throw new ConfigError(
      configPath,
      `${configPath}:${line}:${col}: the config is not a mapping — write its fields as \`key: value\` lines (runbooks:, gateway:, hosts:, probes: …), not as a list or a single value`,
    );
  }
  const schema = options.probeOptions ? configSchema(options.probeOptions) : ConfigSchema;
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch {
    // yaml refuses to expand an alias bomb (billions of nodes from a few lines).
    throw new ConfigError(configPath, `${configPath}:1:1: the config expands YAML aliases (*name) more than 100 times — write the values out instead of repeating aliases`);
  }
  const legacy = moveLegacyMcpOptions(data ?? {});
  if (legacy.conflicts.length) {
    const messages = legacy.conflicts.map(({ from, to }) => {
      const where = locate(document, lineCounter, from);
      const other = locate(document, lineCounter, to);
      return (
        `${configPath}:${where.line}:${where.col}: ${from.join('.')}: also set as ${to.join('.')} (line ${other.line}); ` +
        `${to.join('.')} is the one place for it now — delete this one`
      );
    });
    throw new ConfigError(configPath, `Invalid Proofbook config:\n${messages.map((m) => `  ${m}`).join('\n')}`);
  }
  const result = schema.safeParse(legacy.data);
  if (!result.success) {
    const messages = result.error.issues.map((issue) => describeIssue(issue, document, lineCounter, configPath, schema, legacy.moved));
    throw new ConfigError(configPath, `Invalid Proofbook config:\n${messages.map((m) => `  ${m}`).join('\n')}`);
  }
  if (options.knownProbes) {
    const known = options.knownProbes;
    const problems: string[] = [];
    for (const list of ['bindings', 'limitations'] as const) {
      result.data.plan[list].forEach((entry, i) => {
        entry.probes.forEach((id, j) => {
          if (known.includes(id)) return;
          const where = locate(document, lineCounter, ['plan', list, String(i), 'probes', String(j)]);
          problems.push(`${configPath}:${where.line}:${where.col}: plan.${list}.${i}.probes.${j}: unknown probe "${id}"; known probes: ${known.join(', ')}`);
        });
      });
    }
    if (problems.length) throw new ConfigError(configPath, `Invalid Proofbook config:\n${problems.map((m) => `  ${m}`).join('\n')}`);
  }
  for (const line of movedFieldWarnings(document, lineCounter, configPath, legacy.moved)) options.onWarning?.(line);
  return resolvePaths(result.data as RawConfig<Probes>, configPath);
}

/**
 * The deprecation warnings of a config's text, without validating it (for `init`, which extends
 * a config as it is): none when it is not readable YAML. parseConfig gives the same lines.
 */
export function deprecationWarnings(text: string, configPath: string): string[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length) return [];
  try {
    return movedFieldWarnings(document, lineCounter, configPath, moveLegacyMcpOptions(document.toJS({ maxAliasCount: 100 }) ?? {}).moved);
  } catch {
    return [];
  }
}

/** One line per field read from its old place, at the key the user wrote. */
function movedFieldWarnings(document: Document, lineCounter: LineCounter, configPath: string, moved: MovedField[]): string[] {
  return moved.map(({ from, to }) => {
    const where = keyPosition(document, lineCounter, from.slice(0, -1), from.at(-1)!) ?? locate(document, lineCounter, from);
    return `${configPath}:${where.line}:${where.col}: ${fieldName(from)} moved to ${fieldName(to)}; move it there (it still works)`;
  });
}

/** `probes."mcp.catalog".servers`: a key with a dot is quoted, as in the config reference. */
function fieldName(fieldPath: string[]): string {
  return fieldPath.map((key) => (/^[A-Za-z_][\w]*$/.test(key) ? key : `"${key}"`)).join('.');
}

function describeIssue(
  issue: z.core.$ZodIssue,
  document: Document,
  lineCounter: LineCounter,
  configPath: string,
  schema: z.ZodType,
  moved: MovedField[],
): string {
  const schemaPath = issue.path.map(String);
  // A field read from its old place is reported where the user wrote it.
  const fieldPath = userFieldPath(schemaPath, moved);
  // An unknown field is pointed at itself, not at the map that holds it.
  const unknownKey = issue.code === 'unrecognized_keys' ? keyPosition(document, lineCounter, fieldPath, issue.keys[0]!) : undefined;
  const where = unknownKey ?? locate(document, lineCounter, fieldPath);
  const field = fieldPath.length ? fieldPath.join('.') : '(top level)';
  const description = describeField(schema, schemaPath);
  const movedTo = fieldPath === schemaPath ? '' : ` (it belongs in ${schemaPath.join('.')} now; it is still read from here)`;
  const hint = description ? ` — ${description}${movedTo}` : movedTo;
  let what = issue.message;
  if (issue.code === 'unrecognized_keys') what = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove or rename them`;
  return `${configPath}:${where.line}:${where.col}: ${field}: ${what}${hint}`;
}

/** Position of the key `key` in the map at `fieldPath`, if there is one. */
function keyPosition(document: Document, lineCounter: LineCounter, fieldPath: string[], key: string): { line: number; col: number } | undefined {
  const map = fieldPath.length ? document.getIn(fieldPath, true) : document.contents;
  if (!isMap(map)) return undefined;
  const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
  return isNode(pair?.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]) : undefined;
}

/** Finds the deepest YAML node that exists along `fieldPath`, for its position. */
function locate(document: Document, lineCounter: LineCounter, fieldPath: string[]): { line: number; col: number } {
  for (let depth = fieldPath.length; depth >= 0; depth--) {
    const node = depth === 0 ? document.contents : document.getIn(fieldPath.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

/** Walks the zod schema along a field path to quote that field's description. */
function describeField(root: z.ZodType, fieldPath: string[]): string | undefined {
  let schema: z.ZodType | undefined = root;
  for (const key of fieldPath) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[key];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else return undefined;
    if (!schema) return undefined;
  }
  return schema?.description ?? unwrap(schema)?.description;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function resolvePaths<Probes>(raw: RawConfig<Probes>, configPath: string): Config<Probes> {
  const rootDir = path.dirname(configPath);
  const abs = (p: string) => path.resolve(rootDir, p);
  const hosts = raw.hosts.map((host) => ({ ...host, caFile: host.caFile && abs(host.caFile) }));
  const config: Config<Probes> = {
    ...raw,
    configPath,
    rootDir,
    runbooks: raw.runbooks.map(abs),
    evaluationDir: abs(raw.evaluationDir),
    gateway: { ...raw.gateway, configFile: abs(raw.gateway.configFile), composeFile: abs(raw.gateway.composeFile) },
    secretsFiles: raw.secretsFiles.map(abs),
    hosts,
    lab: { ...raw.lab, filesystemRoot: abs(raw.lab.filesystemRoot), runtimeDir: abs(raw.lab.runtimeDir) },
    hostByName(name: string) {
      const host = hosts.find((h) => h.name === name);
      if (!host) {
        throw new ConfigError(
          configPath,
          `${configPath}: no host named "${name}" in \`hosts\` (have: ${hosts.map((h) => h.name).join(', ')}). ` +
            'Add it or fix the probe option that names it.',
        );
      }
      return host;
    },
  };
  return config;
}
