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
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parseEnvLines, type EnvEntry, type EnvProblem } from '../../secrets/env-files.ts';
import { Redactor } from '../../secrets/redactor.ts';
import { SecretsAuditOptionsSchema } from './options.ts';
import { displayPath, fingerprint, type LocatedFinding, looksSecret, MIN_FINGERPRINT_LENGTH, now, scrub, summarizeFindings } from '../kit/checks.ts';
import { statusOf, type Probe, type ProbeContext, type ProbeOutcome, type TranscriptEntry } from '../types.ts';
import type { GitState, AuditedFile, AuditedExample, SecretsAuditFacts } from './facts.ts';
export type { GitState, AuditedKey, AuditedFile, AuditedExample, SecretsAuditFacts } from './facts.ts';

function describeProblem(problem: EnvProblem): string {
  return `${problem.description}; LiteLLM and Proofbook cannot read it. Fix it or comment it out with '#' (the line is not shown: it may hold a secret)`;
}

// ---------------------------------------------------------------------------------------------
// The probe
// ---------------------------------------------------------------------------------------------

export const secretsAuditProbe: Probe<SecretsAuditFacts> = {
  id: 'secrets.audit',
  inputs: (config) => config.secretsFiles.map((file) => ({ file, format: 'env' as const, optional: true })),
  async run(context: ProbeContext): Promise<ProbeOutcome<SecretsAuditFacts>> {
    const options = SecretsAuditOptionsSchema.parse((context.config.probes as Record<string, unknown>)['secrets.audit'] ?? {});
    const { config, signal } = context;
    const show = (file: string) => displayPath(config.rootDir, file);
    const findings: LocatedFinding[] = [];
    const transcript: TranscriptEntry[] = [];
    const facts: SecretsAuditFacts = { files: [], examples: [], requiredAnywhere: [], findings };
    const values: string[] = []; // every value read, to scrub the outcome with before returning
    const finish = (status: ProbeOutcome['status'], summary: string): ProbeOutcome<SecretsAuditFacts> =>
      scrub({ status, summary, facts, transcript, target: config.secretsFiles.map(show) }, new Redactor(values));

    if (config.secretsFiles.length === 0) {
      return finish('skip', 'no secretsFiles in proofbook.config.yaml; nothing to audit');
    }
    signal.throwIfAborted();

    // Examples from the `examples` option: files, or every *.example in a folder.
    const configured = new Map<string, string>(); // example basename → absolute path
    for (const entry of options.examples) {
      const target = path.resolve(config.rootDir, entry);
      const info = await stat(target).catch(() => undefined);
      if (!info) {
        findings.push({
          severity: 'fail',
          code: 'example.not-found',
          file: show(target),
          message: `configured example does not exist; fix probes."secrets.audit".examples in proofbook.config.yaml (a .env.example file or a folder of them)`,
        });
      } else if (info.isDirectory()) {
        for (const name of (await readdir(target)).sort()) if (name.endsWith('.example')) configured.set(name, path.join(target, name));
      } else if (target.endsWith('.example')) {
        configured.set(path.basename(target), target);
      } else {
        findings.push({
          severity: 'fail',
          code: 'example.not-example',
          file: show(target),
          message: `configured example is not a *.example file; list the .env.example files (or their folder) in probes."secrets.audit".examples`,
        });
      }
    }

    const parsedExamples = new Map<string, { entries: EnvEntry[]; fact: AuditedExample }>();
    const readExample = async (file: string): Promise<{ entries: EnvEntry[]; fact: AuditedExample } | undefined> => {
      const known = parsedExamples.get(file);
      if (known) return known;
      let text: string;
      try {
        text = await readFile(file, { encoding: 'utf8', signal });
      } catch (error) {
        signal.throwIfAborted();
        findings.push({
          severity: 'fail',
          code: 'example.unreadable',
          file: show(file),
          message: `example cannot be read (${(error as NodeJS.ErrnoException).code ?? error}); fix its permissions or probes."secrets.audit".examples`,
        });
        return undefined;
      }
      const { entries, problems } = parseEnvLines(text, file);
      for (const problem of problems) {
        findings.push({ severity: 'fail', code: 'env.syntax', file: show(file), line: problem.line, message: describeProblem(problem) });
      }
      // Example values are placeholders and never printed; they are not fed to the redactor.
      const fact: AuditedExample = { file: show(file), keys: [...new Set(entries.map((e) => e.key))] };
      facts.examples.push(fact);
      transcript.push({ at: now(), kind: 'file', file: show(file), role: 'example', keys: fact.keys });
      const parsed = { entries, fact };
      parsedExamples.set(file, parsed);
      return parsed;
    };

    const allEntries: EnvEntry[] = [];
    const secretsBasenames = new Set(config.secretsFiles.map((f) => path.basename(f)));

    for (const file of config.secretsFiles) {
      signal.throwIfAborted();
      const base = path.basename(file);
      const fact: AuditedFile = { file: show(file), exists: false, keys: [], missingKeys: [], extraKeys: [] };
      facts.files.push(fact);

      const exampleFile = configured.get(`${base}.example`) ?? (await isFile(`${file}.example`) ? `${file}.example` : undefined);
      const example = exampleFile ? await readExample(exampleFile) : undefined;
      if (example) {
        fact.example = example.fact.file;
        example.fact.secretsFile = fact.file;
      }

      let info: Stats;
      try {
        info = await stat(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const how = example
          ? `create it from ${example.fact.file} (cp, fill in the values, chmod 600)`
          : 'create it with mode 600';
        const lab = isInside(config.lab?.runtimeDir, file) ? '; `npm run lab:up` generates it for the lab' : '';
        findings.push({
          severity: 'fail',
          code: 'file.missing',
          file: fact.file,
          message: `secrets file ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}: LiteLLM gets none of its keys. ` +
            `${capitalize(how)}${lab}, or remove it from secretsFiles in proofbook.config.yaml`,
        });
        transcript.push({ at: now(), kind: 'file', file: fact.file, role: 'secrets', exists: false });
        continue;
      }
      if (!info.isFile()) {
        findings.push({ severity: 'fail', code: 'file.not-regular', file: fact.file, message: 'secrets file is not a regular file; secretsFiles must list .env files' });
        continue;
      }
      fact.exists = true;

      // Permissions.
      const mode = info.mode & 0o777;
      fact.mode = `0${mode.toString(8).padStart(3, '0')}`;
      const chmod = `run \`chmod 600 ${fact.file}\``;
      if (mode & 0o006) {
        const what = [mode & 0o004 && 'readable', mode & 0o002 && 'writable'].filter(Boolean).join(' and ');
        findings.push({
          severity: 'fail',
          code: 'file.world-accessible',
          file: fact.file,
          message: `secrets file is world-${what} (mode ${fact.mode}): every user on this machine can ${mode & 0o004 ? 'read' : 'change'} these secrets. ` +
            `${capitalize(chmod)} and rotate the secrets if others may have read them`,
        });
      } else if (mode & 0o060) {
        const what = [mode & 0o040 && 'readable', mode & 0o020 && 'writable'].filter(Boolean).join(' and ');
        findings.push({
          severity: 'warn',
          code: 'file.group-accessible',
          file: fact.file,
          message: `secrets file is group-${what} (mode ${fact.mode}); ${chmod} unless its group must read it`,
        });
      }

      // Git.
      const git = await gitState(file, signal, transcript, show);
      fact.git = git.state;
      if (git.state === 'tracked') {
        findings.push({
          severity: 'fail',
          code: 'file.tracked',
          file: fact.file,
          message: `secrets file is tracked by git in the repository at ${git.repo}: its secrets are in the repository and its history. ` +
            `Run \`git -C ${git.repo} rm --cached -- ${path.relative(git.repo, file)}\`, add it to .gitignore, commit, and rotate every secret in it`,
        });
      } else if (git.state === 'not-ignored') {
        findings.push({
          severity: 'warn',
          code: 'file.not-ignored',
          file: fact.file,
          message: `secrets file is inside a git repository but not git-ignored: one \`git add .\` would commit it. Add it (or *.env) to .gitignore`,
        });
      } else if (git.state === 'unknown') {
        findings.push({
          severity: 'warn',
          code: 'file.git-unknown',
          file: fact.file,
          message: `could not ask git whether this secrets file is tracked (${git.detail}); check by hand with \`git ls-files --error-unmatch ${base}\``,
        });
      }

      // Content.
      let text: string;
      try {
        text = await readFile(file, { encoding: 'utf8', signal });
      } catch (error) {
        signal.throwIfAborted();
        findings.push({
          severity: 'fail',
          code: 'file.unreadable',
          file: fact.file,
          message: `secrets file cannot be read (${(error as NodeJS.ErrnoException).code ?? error}); LiteLLM, started as the same user, could not read it either. Fix its owner or permissions`,
        });
        continue;
      }
      const { entries, problems } = parseEnvLines(text, file);
      values.push(...entries.map((e) => e.value));
      allEntries.push(...entries);
      for (const problem of problems) {
        findings.push({ severity: 'fail', code: 'env.syntax', file: fact.file, line: problem.line, message: describeProblem(problem) });
      }
      fact.keys = entries.map((e) => ({ key: e.key, line: e.line, empty: e.value === '', fingerprint: fingerprint(e.value, config.rootDir) }));
      transcript.push({ at: now(), kind: 'file', file: fact.file, role: 'secrets', mode: fact.mode, git: fact.git, keys: entries.map((e) => e.key) });

      const byKey = new Map<string, EnvEntry[]>();
      for (const entry of entries) byKey.set(entry.key, [...(byKey.get(entry.key) ?? []), entry]);
      for (const [key, list] of byKey) {
        if (list.length < 2) continue;
        findings.push({
          severity: 'warn',
          code: 'key.duplicate',
          file: fact.file,
          line: list[1]!.line,
          message: `${key} is set more than once (lines ${list.map((e) => e.line).join(', ')}); readers disagree on which one wins. Keep one`,
        });
      }
      const last = (key: string) => byKey.get(key)?.at(-1);

      // Required keys: requiredKeys[<basename>], else the example's keys.
      const exampleKeys = example?.fact.keys ?? [];
      const required = (options.requiredKeys[base] ?? exampleKeys).filter((k) => !options.optionalKeys.includes(k));
      const source = (key: string) => {
        const line = example?.entries.find((e) => e.key === key)?.line;
        if (options.requiredKeys[base]?.includes(key)) return `probes."secrets.audit".requiredKeys["${base}"] requires it`;
        return `${example!.fact.file}:${line} lists it`;
      };
      for (const key of required) {
        const entry = last(key);
        if (!entry) {
          fact.missingKeys.push(key);
          findings.push({
            severity: 'fail',
            code: 'key.missing',
            file: fact.file,
            message: `${key} is missing (${source(key)}). Add ${key}=<value> to this file and restart LiteLLM`,
          });
        } else if (entry.value === '') {
          findings.push({
            severity: 'fail',
            code: 'key.empty',
            file: fact.file,
            line: entry.line,
            message: `${key} is empty (${source(key)}). Set its value and restart LiteLLM`,
          });
        }
      }
      if (example) {
        for (const key of exampleKeys) {
          if (byKey.has(key) || required.includes(key) || options.optionalKeys.includes(key)) continue;
          // The example lists it but requiredKeys replaced the example's list: still say it is absent.
          fact.missingKeys.push(key);
          findings.push({
            severity: 'fail',
            code: 'key.missing',
            file: fact.file,
            message: `${key} is missing (${source(key)}). Add it here, or remove it from the example if it is no longer used`,
          });
        }
        for (const [key, list] of byKey) {
          if (exampleKeys.includes(key)) continue;
          fact.extraKeys.push(key);
          findings.push({
            severity: 'warn',
            code: 'key.not-in-example',
            file: fact.file,
            line: list[0]!.line,
            message: `${key} is not in ${example.fact.file}; add it there with a placeholder value so the next person knows it is needed`,
          });
        }
        for (const exampleEntry of example.entries) {
          const real = last(exampleEntry.key);
          if (!real || real.value.length < MIN_FINGERPRINT_LENGTH || real.value !== exampleEntry.value) continue;
          const secret = looksSecret(exampleEntry.key, real.value);
          findings.push({
            severity: secret ? 'fail' : 'warn',
            code: 'example.real-value',
            file: example.fact.file,
            line: exampleEntry.line,
            message: `the example holds the real value of ${exampleEntry.key} (same as ${fact.file}:${real.line}, fingerprint ${fingerprint(real.value, config.rootDir)}). ` +
              (secret
                ? 'Replace it with a placeholder and rotate the secret: the example is meant to be committed'
                : `If ${exampleEntry.key} is secret, replace it with a placeholder and rotate it: the example is meant to be committed`),
          });
        }
      }
    }

    // Keys required somewhere: requiredKeys["*"] and the gateway key.
    const anywhere = [...new Set([...(options.requiredKeys['*'] ?? []), config.gateway.keyEnvVar])].filter(
      (k) => !options.optionalKeys.includes(k),
    );
    const fileList = facts.files.map((f) => f.file).join(', ');
    for (const key of anywhere) {
      const set = allEntries.findLast((e) => e.key === key && e.value !== '');
      const empty = allEntries.findLast((e) => e.key === key);
      facts.requiredAnywhere.push({ key, present: !!set, file: set && show(set.file), line: set?.line });
      if (set) continue;
      const why = key === config.gateway.keyEnvVar ? 'it is gateway.keyEnvVar, the key LiteLLM and Proofbook use' : 'requiredKeys["*"] requires it';
      if (empty) {
        findings.push({
          severity: 'fail',
          code: 'key.empty',
          file: show(empty.file),
          line: empty.line,
          message: `${key} is empty (${why}). Set its value and restart LiteLLM`,
        });
      } else {
        findings.push({
          severity: 'fail',
          code: 'key.missing',
          message: `${key} is not set in any secrets file (${fileList}); ${why}. Add ${key}=<value> to one of them and restart LiteLLM`,
        });
      }
    }

    for (const base of Object.keys(options.requiredKeys)) {
      if (base === '*' || secretsBasenames.has(base)) continue;
      findings.push({
        severity: 'warn',
        code: 'option.unknown-file',
        message: `probes."secrets.audit".requiredKeys names ${base}, which is not a secrets file (${fileList}); fix the name in proofbook.config.yaml`,
      });
    }
    for (const [name, file] of configured) {
      if (secretsBasenames.has(name.slice(0, -'.example'.length))) continue;
      await readExample(file);
      findings.push({
        severity: 'warn',
        code: 'example.orphan',
        file: show(file),
        message: `no secrets file ${name.slice(0, -'.example'.length)} in secretsFiles matches this example; add it to secretsFiles or delete the example`,
      });
    }

    const passSummary = `${facts.files.length} secrets file(s) OK (${facts.files
      .map((f) => `${f.file}: ${f.keys.length} key(s), mode ${f.mode}`)
      .join('; ')}); not tracked by git${facts.examples.length ? ', keys match the examples' : ''}`;
    return finish(statusOf(findings), summarizeFindings(findings, passSummary));
  },
};

async function gitState(
  file: string,
  signal: AbortSignal,
  transcript: TranscriptEntry[],
  show: (file: string) => string,
): Promise<{ state: 'tracked'; repo: string } | { state: Exclude<GitState, 'tracked'>; detail?: string }> {
  const cwd = path.dirname(file);
  const name = path.basename(file);
  const git = async (args: string[]) => {
    const result = await execa('git', args, { cwd, reject: false, cancelSignal: signal, stdin: 'ignore' });
    signal.throwIfAborted();
    const stderr = String(result.stderr ?? '').split('\n')[0] ?? '';
    transcript.push({ at: now(), kind: 'exec', command: `git ${args.join(' ')}`, cwd: show(cwd) || '.', exitCode: result.exitCode ?? null, stderr });
    return { exitCode: result.exitCode, stdout: String(result.stdout ?? '').trim(), stderr, spawnError: result.exitCode === undefined ? (result as { code?: string }).code ?? result.shortMessage : undefined };
  };
  const listed = await git(['ls-files', '--error-unmatch', '--', name]);
  if (listed.spawnError) return { state: 'unknown', detail: `git did not run: ${listed.spawnError}` };
  if (listed.exitCode === 0) {
    const top = await git(['rev-parse', '--show-toplevel']);
    return { state: 'tracked', repo: top.exitCode === 0 && top.stdout ? top.stdout : cwd };
  }
  if (/not a git repository/i.test(listed.stderr)) return { state: 'not-a-repo' };
  if (listed.exitCode !== 1) return { state: 'unknown', detail: listed.stderr || `git exited with ${listed.exitCode}` };
  const ignored = await git(['check-ignore', '-q', '--', name]);
  if (ignored.exitCode === 0) return { state: 'ignored' };
  if (ignored.exitCode === 1) return { state: 'not-ignored' };
  return { state: 'unknown', detail: ignored.stderr || `git check-ignore exited with ${ignored.exitCode}` };
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

function isInside(dir: string | undefined, file: string): boolean {
  if (!dir) return false;
  const relative = path.relative(dir, file);
  return !!relative && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
