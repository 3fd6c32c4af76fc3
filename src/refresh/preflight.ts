/**
 * The preflight: before refresh-docs runs a probe or touches a file, every input it is about to
 * read is checked, and any problem stops the run with exit 2 and nothing written.
 *
 * Always: the runbook folders exist, every runbook is UTF-8 text under the size limit, and the
 * evidence (`evaluation/index.jsonl` and the results it lists) reads as JSON, and the stored
 * upgrade previews (`upgrade-preview/<version>/preview.json`) match their schema.
 * When probes run: the files the selected probes declare (`Probe.inputs`), plus LiteLLM's
 * config.yaml and the secrets files (read for the redactor), each parsed by its format —
 * YAML (tabs, duplicate keys, syntax), compose (YAML, `services:`, Traefik labels, router rules
 * that parse), TOML, strict JSON, `.env` (KEY=value lines), PEM. A missing optional input is
 * fine (its probe reports it); a missing required one is named where the config names it.
 *
 * Every problem reads `file:line:col: problem — what to do`, and none quotes the file's text.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isCollection, isMap, isPair, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { parse as parseToml, TomlError } from 'smol-toml';
import { EvidenceError, probeViews } from '../evidence/history.ts';
import { isDockerRunScript, parseLabelSource } from '../gateway/read-labels.ts';
import { parseRule, RuleSyntaxError } from '../gateway/traefik-rules.ts';
import { parseProbeOptions } from '../probes/context.ts';
import type { Probe, ProbeInput } from '../probes/types.ts';
import { readFrontMatter } from '../markdown/front-matter.ts';
import { nestingMessage, tooDeep } from '../markdown/nesting.ts';
import { markdownFiles } from '../fs/markdown-files.ts';
import { parseEnvLines, type EnvProblem } from '../secrets/env-files.ts';
import { decodeTextInput, InputError, yamlErrorOffset } from '../formats/input-error.ts';
import { jsonSyntaxError } from '../formats/json-errors.ts';
import { positionAt } from '../formats/positions.ts';
import type { Config } from '../probes/config.ts';
import { readPreviews } from '../upgrade/read-preview.ts';

export interface PreflightProblem {
  file: string;
  line: number;
  column: number;
  /** `problem — what to do`. */
  message: string;
}

export interface PreflightOptions {
  /** Probes will run: check their inputs too (false for --offline, --check, --dry-run). */
  runProbes: boolean;
}

type Format = ProbeInput['format'];

const FORMAT_NAME: Record<Format, string> = {
  yaml: 'YAML file',
  compose: 'compose file',
  toml: 'TOML file',
  json: 'JSON file',
  jsonc: 'JSON (with comments) file',
  env: '.env file',
  markdown: 'runbook',
  pem: 'PEM certificate file',
};

/** Every problem with the inputs of this run; empty when it may go ahead. */
export async function preflight(config: Config, probes: Probe[], options: PreflightOptions): Promise<PreflightProblem[]> {
  const problems: PreflightProblem[] = [];
  const where = await configLocator(config);

  // Runbook folders and runbooks.
  for (const [i, folder] of config.runbooks.entries()) {
    const info = await stat(folder).catch(() => undefined);
    if (!info || !info.isDirectory()) {
      const at = where.field(['runbooks', String(i)]) ?? where.path(folder);
      problems.push({
        ...at,
        message: `runbooks: ${rel(config, folder)} ${info ? 'is not a folder' : 'does not exist'} — create the folder of Markdown runbooks, or fix the path in \`runbooks\``,
      });
    }
  }
  const existing: string[] = [];
  for (const folder of config.runbooks) if ((await stat(folder).catch(() => undefined))?.isDirectory()) existing.push(folder);
  for (const file of await markdownFiles(existing)) problems.push(...(await checkInput({ file, format: 'markdown' }, where)));

  // Evidence.
  const evaluation = await stat(config.evaluationDir).catch(() => undefined);
  if (evaluation && !evaluation.isDirectory()) {
    problems.push({
      ...(where.field(['evaluationDir']) ?? where.path(config.evaluationDir)),
      message: `evaluationDir: ${rel(config, config.evaluationDir)} is not a folder — point evaluationDir at the evidence folder`,
    });
  } else if (evaluation) {
    try {
      await probeViews(config.evaluationDir);
    } catch (error) {
      if (!(error instanceof EvidenceError)) throw error;
      problems.push(problemOf(error));
    }
    // Upgrade previews (`upgrade-preview/<version>/preview.json`), which the upgrade.preview
    // region draws: a link or a file that is not a preview stops the run here.
    try {
      await readPreviews(config.evaluationDir);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(problemOf(error));
    }
  }

  {
    const declared: ProbeInput[] = [
      ...(options.runProbes ? probes.flatMap((probe) => declaredInputs(probe, config)) : []),
      // Read by refresh-docs itself for the redactor, whichever probes run — also with --check and
      // --offline, so a FIFO or /dev/zero named there is refused here, not read until it hangs.
      { file: config.gateway.configFile, format: 'yaml', optional: true },
      ...config.secretsFiles.map((file): ProbeInput => ({ file, format: 'env', optional: true })),
    ];
    const merged = new Map<string, ProbeInput>();
    for (const input of declared) {
      const key = `${input.format}\0${input.file}`;
      const seen = merged.get(key);
      merged.set(key, { ...input, optional: (seen?.optional ?? true) && Boolean(input.optional) });
    }
    // A compose file is also YAML: check it once, as compose.
    const composeFiles = new Set([...merged.values()].filter((i) => i.format === 'compose').map((i) => i.file));
    for (const input of merged.values()) {
      if (input.format === 'yaml' && composeFiles.has(input.file)) continue;
      problems.push(...(await checkInput(input, where, config)));
    }
  }
  return problems;
}

/** The preflight's report, for stderr. */
export function formatPreflight(problems: PreflightProblem[]): string {
  return [
    `refresh-docs: ${problems.length} problem(s) in the input files; nothing was run or written:`,
    ...problems.map((p) => `  ${p.file}:${p.line}:${p.column}: ${p.message}`),
  ].join('\n');
}

function problemOf(error: InputError): PreflightProblem {
  const prefix = `${error.file}:${error.line}:${error.column}: `;
  return { file: error.file, line: error.line, column: error.column, message: error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message };
}

function rel(config: Config, file: string): string {
  const relative = path.relative(config.rootDir, file);
  return relative.startsWith('..') ? file : relative;
}

/** Positions in proofbook.config.yaml: of a field, or of the value that names a path. */
interface ConfigLocator {
  field(fieldPath: string[]): Omit<PreflightProblem, 'message'> | undefined;
  /** Where the config names `file` (a relative or absolute path value); the file's top otherwise. */
  path(file: string): Omit<PreflightProblem, 'message'>;
}

async function configLocator(config: Config): Promise<ConfigLocator> {
  const file = config.configPath;
  const text = await readFile(file, 'utf8').catch(() => '');
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (node: Node | null | undefined) => {
    if (!node?.range) return undefined;
    const { line, col } = lineCounter.linePos(node.range[0]);
    return { file, line, column: col };
  };
  return {
    field(fieldPath) {
      const node = document.getIn(fieldPath, true);
      return isScalar(node) || isCollection(node) ? at(node) : undefined;
    },
    path(target) {
      let found: Node | undefined;
      const walk = (node: unknown) => {
        if (found) return;
        if (isScalar(node)) {
          if (typeof node.value === 'string' && node.value && path.resolve(config.rootDir, node.value) === target) found = node;
        } else if (isCollection(node)) {
          for (const item of node.items) walk(isPair(item) ? item.value : item);
        }
      };
      walk(document.contents);
      return at(found) ?? { file, line: 1, column: 1 };
    },
  };
}

/** Checks one input file: present (unless optional), text, and well-formed for its format. */
export async function checkInput(input: ProbeInput, where?: ConfigLocator, config?: Config): Promise<PreflightProblem[]> {
  const name = FORMAT_NAME[input.format];
  const info = await stat(input.file).catch(() => undefined);
  if (!info || !info.isFile()) {
    if (!info && input.optional) return [];
    const at = where?.path(input.file) ?? { file: input.file, line: 1, column: 1 };
    const shown = config ? rel(config, input.file) : input.file;
    const what = info ? `is not a file` : 'does not exist';
    return [{ ...at, message: `the ${name} ${shown} ${what} — create it, or fix the path that names it in the config` }];
  }
  const decoded = decodeTextInput(await readFile(input.file), `this ${name}`);
  if (decoded.problem) return [{ file: input.file, ...decoded.problem }];
  return checkText(decoded.text, input.file, input.format);
}

/** Format checks of a decoded text; positions are 1-based. Never quotes the text. */
export function checkText(text: string, file: string, format: Format): PreflightProblem[] {
  switch (format) {
    case 'yaml':
      return checkYaml(text, file, true).problems;
    case 'compose':
      return checkCompose(text, file);
    case 'toml':
      return checkToml(text, file);
    case 'json':
    case 'jsonc': {
      const jsonc = format === 'jsonc';
      const problem = jsonSyntaxError(text, { jsonc });
      if (!problem) return [];
      const rules = jsonc ? 'names and strings in double quotes' : 'strict JSON: double quotes, no comments, no trailing commas';
      return [{ file, ...positionAt(text, problem.offset), message: `invalid JSON: ${problem.message} — fix the syntax (${rules})` }];
    }
    case 'env':
      return checkEnv(text, file);
    case 'pem':
      return /-----BEGIN CERTIFICATE-----/.test(text)
        ? []
        : [{ file, line: 1, column: 1, message: 'no PEM certificate (-----BEGIN CERTIFICATE-----) in this file — point caFile at the CA certificate in PEM format' }];
    case 'markdown':
      return checkMarkdown(text, file);
  }
}

/** A runbook before any parser: nesting depth, and front matter as YAML or TOML data only (../markdown/). */
function checkMarkdown(text: string, file: string): PreflightProblem[] {
  // Before any parser: deep nesting overflows the Markdown parsers' stacks.
  const deep = tooDeep(text);
  if (deep) return [{ file, line: deep.line, column: 1, message: nestingMessage(deep.depth) }];
  try {
    readFrontMatter(text, file);
    return [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return [{ file, line: error.line, column: error.column, message: error.problem }];
  }
}

const YAML_TODO: Record<string, string> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs',
  DUPLICATE_KEY: 'remove or rename one of the two keys (YAML would keep only one of them)',
  MULTIPLE_DOCS: 'keep one document per file (remove the extra `---`)',
};

function checkYaml(text: string, file: string, mapping: boolean): { problems: PreflightProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems = document.errors.map((error): PreflightProblem => {
    const where = yamlErrorOffset(text, error);
    const { line, col } = lineCounter.linePos(where.offset);
    const todo = where.message ? 'add the closing quote' : (YAML_TODO[error.code] ?? 'fix the YAML syntax');
    return { file, line, column: col, message: `invalid YAML: ${where.message ?? error.message.split('\n')[0]!.replace(/[.:]$/, '')} — ${todo}` };
  });
  if (!problems.length && mapping && document.contents && !isMap(document.contents)) {
    const { line, col } = lineCounter.linePos(document.contents.range?.[0] ?? 0);
    problems.push({ file, line, column: col, message: 'the top level is not a mapping (`key: value`) — this file should start with its top-level keys' });
  }
  return { problems };
}

function checkCompose(text: string, file: string): PreflightProblem[] {
  // A `docker run` script is a compose input too, but not YAML: decide which it is first.
  const yaml = isDockerRunScript(text, file) ? [] : checkYaml(text, file, false).problems;
  if (yaml.length) return yaml;
  const source = parseLabelSource(text, file);
  const problems: PreflightProblem[] = source.problems
    .filter((p) => p.severity === 'fail')
    .map((p) => ({ file, line: p.line, column: p.column ?? 1, message: withTodo(p.message, 'fix it (docker compose would reject this file)') }));
  if (!source.usable) return problems;
  const traefik = source.labels.filter((l) => l.key.toLowerCase().startsWith('traefik.'));
  if (traefik.length === 0) {
    const service = source.services[0];
    problems.push({
      file,
      line: service?.labelsLine ?? service?.line ?? 1,
      column: 1,
      message:
        'no Traefik labels (`traefik.*`) on any service — add the routing labels to the service that runs LiteLLM, or point gateway.composeFile at the compose file that has them',
    });
  }
  const lines = text.split('\n');
  for (const label of traefik) {
    const router = /^traefik\.http\.routers\.([^.]+)\.rule$/i.exec(label.key)?.[1];
    if (!router) continue;
    try {
      parseRule(label.value);
    } catch (error) {
      if (!(error instanceof RuleSyntaxError)) throw error;
      const lineText = lines[label.line - 1] ?? '';
      const start = label.value ? lineText.indexOf(label.value) : -1;
      problems.push({
        file,
        line: label.line,
        column: start >= 0 ? start + error.position : 1,
        message: `the rule of router "${router}" does not parse: ${error.message} — fix the rule (Traefik would drop this router)`,
      });
    }
  }
  return problems;
}

function withTodo(message: string, todo: string): string {
  if (message.includes(' — ')) return message;
  const semicolon = message.indexOf('; ');
  return semicolon > 0 ? `${message.slice(0, semicolon)} — ${message.slice(semicolon + 2)}` : `${message} — ${todo}`;
}

function checkToml(text: string, file: string): PreflightProblem[] {
  try {
    parseToml(text);
    return [];
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    // The first line only: the rest is a code frame that quotes the file.
    const what = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    return [{ file, line: error.line, column: error.column, message: `invalid TOML: ${what} — fix the TOML syntax` }];
  }
}

const ENV_PROBLEM: Record<EnvProblem['reason'], string> = {
  'no-equals': 'line without `=` (not shown: it may be a secret) — write it as KEY=value, or comment it out with #',
  'bad-name': 'the name before `=` is not a variable name — use letters, digits and _ (not starting with a digit), e.g. LITELLM_MASTER_KEY=…',
  'unclosed-quote': 'a quoted value that is never closed (not shown: it may be a secret) — close the quote',
  'after-quote': 'text after the closing quote of a value (not shown: it may be a secret) — remove it, or start a comment with " #"',
};

function checkEnv(text: string, file: string): PreflightProblem[] {
  return parseEnvLines(text, file).problems.map((problem) => ({ file, line: problem.line, column: problem.column, message: ENV_PROBLEM[problem.reason] }));
}

/** The files a probe declares with its options as its run will parse them (none when they do not parse: the run reports that). */
function declaredInputs(probe: Probe, config: Config): ProbeInput[] {
  if (!probe.inputs) return [];
  const parsed = parseProbeOptions(probe, config);
  return parsed.problems ? [] : probe.inputs(config, parsed.options);
}
