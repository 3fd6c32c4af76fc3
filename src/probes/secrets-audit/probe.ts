/**
 * `secrets.audit`: a static check of the `.env` secrets files LiteLLM and the MCP servers get
 * their secrets from. It never prints a value: findings, facts and the transcript carry key
 * names, line numbers, file modes and at most a short keyed fingerprint (first 8 hex of
 * HMAC-SHA256 under the workspace's random salt, `.proofbook/salt`, kept out of git — see
 * src/secrets/salt.ts), which shows that a value changed between runs without revealing it.
 *
 * Checks, per file in `secretsFiles`:
 * - it exists and is a regular file;
 * - every line is `KEY=value` (a line without `=` is reported at file:line, content not shown);
 * - no key is set twice;
 * - it is not world-readable or -writable (fail) nor group-readable or -writable (warn);
 * - git does not track it (fail) and, inside a repository, ignores it (warn otherwise);
 * - required keys are present and non-empty: `requiredKeys[<basename>]`, else the keys of the
 *   matching `.env.example`;
 * - against that example: a key it lists is missing (fail), a key it lacks is set (warn), or
 *   the example holds the real value (fail).
 * And across files: `requiredKeys["*"]` plus `gateway.keyEnvVar` are set (non-empty) in at least
 * one file; every configured example has a secrets file.
 *
 * Status: fail / warn from the findings; `skip` when no `secretsFiles` are configured.
 *
 * Here: the run, one file's checks in order, the checks across files. What the steps share and
 * reading a `.env`: ./audit.ts; the examples: ./examples.ts; mode and git: ./file-checks.ts.
 */
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { EnvEntry } from '../../secrets/env-files.ts';
import type { SecretsAuditOptions } from './options.ts';
import { displayPath, fingerprint, now } from '../kit/checks.ts';
import { Findings } from '../kit/findings.ts';
import type { Probe, ProbeContext, ProbeOutcome } from '../types.ts';
import { entriesByKey, readEnvFile, type Audit } from './audit.ts';
import { compareWithExample, configuredExamples, Examples, type Example } from './examples.ts';
import { capitalize, checkGit, checkMode } from './file-checks.ts';
import type { AuditedFile, SecretsAuditFacts } from './facts.ts';
export type { GitState, AuditedKey, AuditedFile, AuditedExample, SecretsAuditFacts } from './facts.ts';

export const secretsAuditProbe: Probe<SecretsAuditFacts, SecretsAuditOptions> = {
  id: 'secrets.audit',
  inputs: (config) => config.secretsFiles.map((file) => ({ file, format: 'env' as const, optional: true })),
  async run(context: ProbeContext<SecretsAuditOptions>): Promise<ProbeOutcome<SecretsAuditFacts>> {
    const { config, signal, options } = context;
    const findings = new Findings();
    const audit: Audit = {
      config,
      options,
      signal,
      findings,
      facts: { files: [], examples: [], requiredAnywhere: [], findings: findings.list },
      transcript: [],
      redactor: context.redactor,
      show: (file) => displayPath(config.rootDir, file),
    };
    const finish = (status: ProbeOutcome['status'], summary: string): ProbeOutcome<SecretsAuditFacts> => ({
      status,
      summary,
      facts: audit.facts,
      transcript: audit.transcript,
      target: config.secretsFiles.map(audit.show),
    });

    if (config.secretsFiles.length === 0) {
      return finish('skip', 'no secretsFiles in proofbook.config.yaml; nothing to audit');
    }
    signal.throwIfAborted();

    const configured = await configuredExamples(audit);
    const examples = new Examples(audit);
    const allEntries: EnvEntry[] = [];
    for (const file of config.secretsFiles) {
      signal.throwIfAborted();
      allEntries.push(...(await auditSecretsFile(audit, file, configured, examples)));
    }
    checkRequiredAnywhere(audit, allEntries);
    await checkUnmatchedNames(audit, configured, examples);
    return finish(findings.status(), findings.summary(passSummary(audit.facts)));
  },
};

// ---------------------------------------------------------------------------------------------
// One secrets file
// ---------------------------------------------------------------------------------------------

/** Every check of one secrets file, in the order its findings are listed; its entries (none when it cannot be read). */
async function auditSecretsFile(audit: Audit, file: string, configured: Map<string, string>, examples: Examples): Promise<EnvEntry[]> {
  const base = path.basename(file);
  const fact: AuditedFile = { file: audit.show(file), exists: false, keys: [], missingKeys: [], extraKeys: [] };
  audit.facts.files.push(fact);

  const exampleFile = configured.get(`${base}.example`) ?? ((await isFile(`${file}.example`)) ? `${file}.example` : undefined);
  const example = exampleFile ? await examples.get(exampleFile) : undefined;
  if (example) {
    fact.example = example.fact.file;
    example.fact.secretsFile = fact.file;
  }

  let info: Stats;
  try {
    info = await stat(file);
  } catch (error) {
    reportMissing(audit, fact, file, (error as NodeJS.ErrnoException).code, example);
    return [];
  }
  if (!info.isFile()) {
    audit.findings.fail('file.not-regular', 'secrets file is not a regular file; secretsFiles must list .env files', { file: fact.file });
    return [];
  }
  fact.exists = true;
  checkMode(audit, fact, info.mode);
  await checkGit(audit, fact, file);

  const entries = await readEnvFile(audit, file, fact.file, {
    code: 'file.unreadable',
    message: (reason) => `secrets file cannot be read (${reason}); LiteLLM, started as the same user, could not read it either. Fix its owner or permissions`,
  });
  if (!entries) return [];
  audit.redactor.add(...entries.map((e) => e.value));
  fact.keys = entries.map((e) => ({ key: e.key, line: e.line, empty: e.value === '', fingerprint: fingerprint(e.value, audit.config.rootDir) }));
  audit.transcript.push({ at: now(), kind: 'file', file: fact.file, role: 'secrets', mode: fact.mode, git: fact.git, keys: entries.map((e) => e.key) });

  const byKey = entriesByKey(entries);
  reportDuplicates(audit, fact, byKey);
  const source = (key: string) => requiredBy(audit.options, base, example, key);
  const required = checkRequiredKeys(audit, fact, byKey, (audit.options.requiredKeys[base] ?? example?.fact.keys ?? []), source);
  if (example) compareWithExample(audit, fact, byKey, example, required, source);
  return entries;
}

function reportMissing(audit: Audit, fact: AuditedFile, file: string, code: string | undefined, example: Example | undefined): void {
  const how = example ? `create it from ${example.fact.file} (cp, fill in the values, chmod 600)` : 'create it with mode 600';
  const lab = isInside(audit.config.lab?.runtimeDir, file) ? '; `npm run lab:up` generates it for the lab' : '';
  audit.findings.fail(
    'file.missing',
    `secrets file ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}: LiteLLM gets none of its keys. ` +
      `${capitalize(how)}${lab}, or remove it from secretsFiles in proofbook.config.yaml`,
    { file: fact.file },
  );
  audit.transcript.push({ at: now(), kind: 'file', file: fact.file, role: 'secrets', exists: false });
}

function reportDuplicates(audit: Audit, fact: AuditedFile, byKey: Map<string, EnvEntry[]>): void {
  for (const [key, list] of byKey) {
    if (list.length < 2) continue;
    audit.findings.warn(
      'key.duplicate',
      `${key} is set more than once (lines ${list.map((e) => e.line).join(', ')}); readers disagree on which one wins. Keep one`,
      { file: fact.file, line: list[1]!.line },
    );
  }
}

/** Why a key is required of a file: `requiredKeys[<basename>]`, else its example. */
function requiredBy(options: SecretsAuditOptions, base: string, example: Example | undefined, key: string): string {
  if (options.requiredKeys[base]?.includes(key)) return `probes."secrets.audit".requiredKeys["${base}"] requires it`;
  const line = example?.entries.find((e) => e.key === key)?.line;
  return `${example!.fact.file}:${line} lists it`;
}

/** Each required key (`requiredKeys[<basename>]`, else the example's keys; less `optionalKeys`) is set and not empty. */
function checkRequiredKeys(audit: Audit, fact: AuditedFile, byKey: Map<string, EnvEntry[]>, wanted: string[], source: (key: string) => string): string[] {
  const required = wanted.filter((k) => !audit.options.optionalKeys.includes(k));
  for (const key of required) {
    const entry = byKey.get(key)?.at(-1);
    if (!entry) {
      fact.missingKeys.push(key);
      audit.findings.fail('key.missing', `${key} is missing (${source(key)}). Add ${key}=<value> to this file and restart LiteLLM`, { file: fact.file });
    } else if (entry.value === '') {
      audit.findings.fail('key.empty', `${key} is empty (${source(key)}). Set its value and restart LiteLLM`, { file: fact.file, line: entry.line });
    }
  }
  return required;
}

// ---------------------------------------------------------------------------------------------
// Across the files
// ---------------------------------------------------------------------------------------------

/** `requiredKeys["*"]` and the gateway key are set (non-empty) in at least one secrets file. */
function checkRequiredAnywhere(audit: Audit, allEntries: EnvEntry[]): void {
  const { config, options, findings, facts } = audit;
  const anywhere = [...new Set([...(options.requiredKeys['*'] ?? []), config.gateway.keyEnvVar])].filter((k) => !options.optionalKeys.includes(k));
  const fileList = facts.files.map((f) => f.file).join(', ');
  for (const key of anywhere) {
    const set = allEntries.findLast((e) => e.key === key && e.value !== '');
    const empty = allEntries.findLast((e) => e.key === key);
    facts.requiredAnywhere.push({ key, present: !!set, file: set && audit.show(set.file), line: set?.line });
    if (set) continue;
    const why = key === config.gateway.keyEnvVar ? 'it is gateway.keyEnvVar, the key LiteLLM and Proofbook use' : 'requiredKeys["*"] requires it';
    if (empty) {
      findings.fail('key.empty', `${key} is empty (${why}). Set its value and restart LiteLLM`, { file: audit.show(empty.file), line: empty.line });
    } else {
      findings.fail('key.missing', `${key} is not set in any secrets file (${fileList}); ${why}. Add ${key}=<value> to one of them and restart LiteLLM`);
    }
  }
}

/** Names that match no secrets file: a `requiredKeys` basename, a configured example without its file. */
async function checkUnmatchedNames(audit: Audit, configured: Map<string, string>, examples: Examples): Promise<void> {
  const { config, options, findings, facts } = audit;
  const secretsBasenames = new Set(config.secretsFiles.map((f) => path.basename(f)));
  const fileList = facts.files.map((f) => f.file).join(', ');
  for (const base of Object.keys(options.requiredKeys)) {
    if (base === '*' || secretsBasenames.has(base)) continue;
    findings.warn('option.unknown-file', `probes."secrets.audit".requiredKeys names ${base}, which is not a secrets file (${fileList}); fix the name in proofbook.config.yaml`);
  }
  for (const [name, file] of configured) {
    if (secretsBasenames.has(name.slice(0, -'.example'.length))) continue;
    await examples.get(file);
    findings.warn(
      'example.orphan',
      `no secrets file ${name.slice(0, -'.example'.length)} in secretsFiles matches this example; add it to secretsFiles or delete the example`,
      { file: audit.show(file) },
    );
  }
}

function passSummary(facts: SecretsAuditFacts): string {
  const files = facts.files.map((f) => `${f.file}: ${f.keys.length} key(s), mode ${f.mode}`).join('; ');
  return `${facts.files.length} secrets file(s) OK (${files}); not tracked by git${facts.examples.length ? ', keys match the examples' : ''}`;
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

function isInside(dir: string | undefined, file: string): boolean {
  if (!dir) return false;
  const relative = path.relative(dir, file);
  return !!relative && !relative.startsWith('..') && !path.isAbsolute(relative);
}
