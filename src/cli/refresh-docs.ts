/**
 * `refresh-docs`: config → probes → evidence → render → rewrite.
 *
 * `main` takes its I/O as hooks and returns the exit code, so tests drive it in-process:
 *   0  every probe passed, warned or was skipped
 *   1  a probe failed or errored
 *   2  usage or config error (nothing written)
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_FILE_NAME, ConfigError, loadConfig, type Config } from '../config/load.ts';
import { latestResults, writeEvidence } from '../evidence/store.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { createHttpClient } from '../net/http-client.ts';
import { PROBE_IDS, PROBES } from '../probes/registry.ts';
import { runProbes } from '../probes/runner.ts';
import type { ProbeResult } from '../probes/types.ts';
import { renderRegion } from '../render/index.ts';
import { STATUS_MARK } from '../render/status.ts';
import { RegionError } from '../rewrite/regions.ts';
import { rewriteDocument } from '../rewrite/rewrite-document.ts';
import { readSecretsFiles } from '../secrets/env-files.ts';
import { Redactor } from '../secrets/redactor.ts';

export interface MainOptions {
  argv: string[];
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
}

export interface RefreshReport {
  results: ProbeResult[];
  docs: { file: string; regions: string[]; changed: boolean }[];
}

const USAGE = `Usage: npm run refresh-docs -- [options]

Runs the probes, writes their evidence and rewrites the generated regions of the runbooks.

Options:
  --config <file>   workspace config (default: ${CONFIG_FILE_NAME}, or $PROOFBOOK_CONFIG)
  --only <ids>      comma-separated probe ids to run (known: ${PROBE_IDS.join(', ')})
  --json            print a JSON report instead of the table
  -h, --help        show this help

Exit codes: 0 all pass/warn/skip, 1 a probe failed or errored, 2 usage or config error.`;

export async function main(options: MainOptions): Promise<number> {
  const rawOut = options.stdout ?? ((line) => process.stdout.write(`${line}\n`));
  const rawErr = options.stderr ?? ((line) => process.stderr.write(`${line}\n`));
  let redactor = new Redactor();
  // Every line printed goes through the redactor, which learns the secrets once they are read.
  const out = (line: string) => rawOut(redactor.redact(line));
  const err = (line: string) => rawErr(redactor.redact(line));

  let args;
  try {
    args = parseArgs({
      args: options.argv,
      options: {
        config: { type: 'string', default: process.env.PROOFBOOK_CONFIG ?? CONFIG_FILE_NAME },
        only: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    err(`refresh-docs: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }

  let config: Config;
  try {
    config = await loadConfig(args.config);
  } catch (error) {
    err(`refresh-docs: ${(error as Error).message}`);
    return error instanceof ConfigError ? 2 : 1;
  }

  const only = args.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((id) => !PROBE_IDS.includes(id)) ?? [];
  if (unknown.length) {
    err(`refresh-docs: unknown probe id(s) ${unknown.join(', ')}; known: ${PROBE_IDS.join(', ')}`);
    return 2;
  }
  const probes = only ? PROBES.filter((p) => only.includes(p.id)) : PROBES;

  let secrets;
  try {
    secrets = await readSecretsFiles(config.secretsFiles);
  } catch (error) {
    err(`refresh-docs: ${(error as Error).message}`);
    return 2;
  }
  redactor = new Redactor([...secrets.entries.map((e) => e.value), process.env[config.gateway.keyEnvVar] ?? '']);
  for (const file of secrets.missing) err(`warning: secrets file ${file} is missing; its values cannot be redacted or used`);

  // Probes → evidence.
  const http = createHttpClient(config.hosts);
  const fresh: ProbeResult[] = [];
  try {
    await runProbes(probes, { config, http, secrets: secrets.entries }, {
      timeoutMs: (probe) => (config.probes as Record<string, { timeoutMs?: number }>)[probe.id]?.timeoutMs ?? 30_000,
      onOutcome: async ({ id, outcome, startedAt, durationMs }) => {
        const result = await writeEvidence({ evaluationDir: config.evaluationDir, id, outcome, startedAt, durationMs, redactor });
        fresh.push(result);
        if (!args.json) out(`${STATUS_MARK[result.status]} ${id.padEnd(14)} ${result.status.padEnd(5)} ${durationMs} ms  ${result.summary}`);
      },
    });
  } finally {
    await http.close();
  }

  // Evidence → render → rewrite. Everything is computed before anything is written.
  let docs: RefreshReport['docs'];
  try {
    docs = await rewriteRunbooks(config, redactor);
  } catch (error) {
    err(`refresh-docs: ${(error as Error).message}`);
    return error instanceof RegionError ? 2 : 1;
  }

  const report: RefreshReport = { results: fresh.sort((a, b) => a.id.localeCompare(b.id)), docs };
  if (args.json) {
    out(JSON.stringify(report, null, 2));
  } else {
    const changed = docs.filter((d) => d.changed);
    out(`${fresh.length} probe(s): ${summarize(fresh)}; ${changed.length} of ${docs.length} runbook(s) changed`);
    for (const doc of changed) out(`  rewrote ${path.relative(config.rootDir, doc.file)} (${doc.regions.join(', ')})`);
  }
  return fresh.some((r) => r.status === 'fail' || r.status === 'error') ? 1 : 0;
}

function summarize(results: ProbeResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'none run';
}

async function rewriteRunbooks(config: Config, redactor: Redactor): Promise<RefreshReport['docs']> {
  const results = await latestResults(config.evaluationDir);
  const files = (await Promise.all(config.runbooks.map(markdownFiles))).flat();
  const planned = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(file, 'utf8');
      // Evidence is redacted when written; generated content is redacted again in case a
      // secret reached a results file some other way. Hand-written text is never touched.
      const rewrite = rewriteDocument(text, file, (region) =>
        renderRegion(region.id, results, { docFile: file, evaluationDir: config.evaluationDir }),
        { sanitize: (markdown) => redactor.redact(markdown) },
      );
      return { file, ...rewrite };
    }),
  );
  for (const doc of planned) if (doc.changed) await writeFileAtomic(doc.file, doc.text);
  return planned.map(({ file, regions, changed }) => ({ file, regions, changed }));
}

async function markdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .map((e) => ({ entry: e, file: path.join(e.parentPath, e.name) }))
    .filter(({ entry, file }) => entry.isFile() && entry.name.endsWith('.md') && !isHidden(path.relative(dir, file)))
    .map(({ file }) => file)
    .sort();
}

function isHidden(relative: string): boolean {
  return relative.split(path.sep).some((part) => part.startsWith('.') || part === 'node_modules');
}
