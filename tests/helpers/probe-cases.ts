/**
 * The one harness for a static probe's fixture cases: one folder per behaviour under
 * tests/fixtures/<probe>/<case>/, an optional spec (`case.json`) and `expected.json`. For each
 * case it builds the workspace config, runs the probe from its registry definition, and checks
 * the outcome against `expected.json`; what differs per probe (the config, what is compared,
 * extra checks) comes in as callbacks, so every probe's fixtures are run the same way.
 *
 * Run with UPDATE_FIXTURES=1 to write missing expected.json files, then review them.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { Finding } from '../../src/model/findings.ts';
import type { HttpClient } from '../../src/net/http-client.ts';
import type { Config } from '../../src/probes/config.ts';
import { loadProbe, type ProbeDefinition } from '../../src/probes/define.ts';
import { PROBE_DEFINITIONS } from '../../src/probes/registry.ts';
import type { ProbeOutcome } from '../../src/probes/types.ts';
import { readSecretsFiles, type EnvEntry } from '../../src/secrets/env-files.ts';
import { refusingHttp, runProbe } from './probe-context.ts';

export interface ProbeCase<Spec> {
  name: string;
  /** The case's folder under the fixtures (read only). */
  source: string;
  /** Where the probe runs: the case's folder, or the scratch copy `setup.workspace` made. */
  dir: string;
  /** The case's spec file, parsed (`{}` when it has none). */
  spec: Spec;
}

export interface ProbeCaseResult<Spec, Facts extends object> extends ProbeCase<Spec> {
  outcome: ProbeOutcome<Facts>;
  /** What `expected.json` is compared with, after `normalize`. */
  actual: Record<string, unknown>;
}

export interface ProbeCaseSetup<Spec, Facts extends object> {
  /** The spec's file name in a case folder (default `case.json`). */
  specFile?: string;
  /** Makes the folder the probe runs in (e.g. a scratch copy); default: the case folder itself. */
  workspace?(probeCase: Omit<ProbeCase<Spec>, 'dir'>): Promise<string>;
  /** The workspace config the probe reads. */
  config(probeCase: ProbeCase<Spec>): Config | Promise<Config>;
  /** The secrets the probe redacts; default: the config's secrets files. */
  secrets?(config: Config, probeCase: ProbeCase<Spec>): EnvEntry[] | Promise<EnvEntry[]>;
  /** Default: a client that refuses every request (a static probe makes none). */
  http?(config: Config): HttpClient;
  /** What is compared with `expected.json` (default `{status, findings}`). */
  actual?(outcome: ProbeOutcome<Facts>, probeCase: ProbeCase<Spec>): Record<string, unknown>;
  /** Stands placeholders in for what varies between runs (temp dirs, the checkout, salted values), in the outcome's JSON and in expected.json. */
  normalize?(json: string, probeCase: ProbeCase<Spec>): string;
  /** The probe's own checks on every case, after the common ones. */
  check?(result: ProbeCaseResult<Spec, Facts>): void | Promise<void>;
}

interface FindingFacts {
  findings: Finding[];
}

/** A probe's definition from the registry, by id. */
export function probeDefinition(id: string): ProbeDefinition {
  const definition = PROBE_DEFINITIONS.find((d) => d.id === id);
  if (!definition) throw new Error(`no probe ${id} in src/probes/registry.ts`);
  return definition;
}

/** The case folders under a probe's fixture folder, sorted. */
export function probeCaseNames(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function defaultSecrets(config: Config): Promise<EnvEntry[]> {
  return (await readSecretsFiles(config.secretsFiles)).entries;
}

/** Runs one case's probe and returns its outcome, without checking it. */
export async function runProbeCase<Spec = Record<string, unknown>, Facts extends object = FindingFacts>(
  definition: ProbeDefinition | ((probeCase: ProbeCase<Spec>) => ProbeDefinition),
  folder: string,
  name: string,
  setup: ProbeCaseSetup<Spec, Facts>,
): Promise<ProbeCaseResult<Spec, Facts>> {
  const source = path.join(folder, name);
  const specFile = path.join(source, setup.specFile ?? 'case.json');
  const spec = (existsSync(specFile) ? JSON.parse(readFileSync(specFile, 'utf8')) : {}) as Spec;
  const dir = setup.workspace ? await setup.workspace({ name, source, spec }) : source;
  const probeCase: ProbeCase<Spec> = { name, source, dir, spec };
  const config = await setup.config(probeCase);
  const http = (setup.http ?? refusingHttp)(config);
  const secrets = await (setup.secrets ?? defaultSecrets)(config, probeCase);
  const probe = await loadProbe(typeof definition === 'function' ? definition(probeCase) : definition);
  let outcome: ProbeOutcome<Facts>;
  try {
    outcome = (await runProbe(probe, { config, http, secrets })) as ProbeOutcome<Facts>;
  } finally {
    await http.close();
  }
  const facts = outcome.facts as Partial<FindingFacts>;
  const raw = setup.actual ? setup.actual(outcome, probeCase) : { status: outcome.status, findings: facts.findings };
  const actual = normalized(raw, (json) => setup.normalize?.(json, probeCase) ?? json) as Record<string, unknown>;
  return { ...probeCase, outcome, actual };
}

/** `value` with the setup's placeholders stood in (through its JSON, as expected.json holds them). */
function normalized(value: unknown, normalize: (json: string) => string): unknown {
  return JSON.parse(normalize(JSON.stringify(value)));
}

/**
 * One test per case folder under `folder`: the outcome matches the case's `expected.json` (its
 * keys besides `summary` are exactly what `actual` returns; a `summary` there is the whole
 * summary), and the summary names the first problem with its file and line.
 */
export function runProbeCases<Spec = Record<string, unknown>, Facts extends object = FindingFacts>(
  definition: ProbeDefinition | ((probeCase: ProbeCase<Spec>) => ProbeDefinition),
  folder: string,
  setup: ProbeCaseSetup<Spec, Facts>,
): void {
  for (const name of probeCaseNames(folder)) {
    it(name, async () => {
      const result = await runProbeCase(definition, folder, name, setup);
      const expectedFile = path.join(result.source, 'expected.json');
      if (!existsSync(expectedFile) && process.env.UPDATE_FIXTURES) writeFileSync(expectedFile, `${JSON.stringify(result.actual, null, 2)}\n`);
      const expected = JSON.parse(readFileSync(expectedFile, 'utf8'));
      const normalize = (json: string) => setup.normalize?.(json, result) ?? json;
      const { summary, ...compared } = normalized(expected, normalize) as Record<string, unknown>;
      expect(result.actual).toEqual(compared);
      if (summary !== undefined) expect(normalized(result.outcome.summary, normalize)).toBe(summary);

      const findings = (result.outcome.facts as Partial<FindingFacts>).findings ?? [];
      const first = findings.find((f) => f.severity === 'fail') ?? findings.find((f) => f.severity === 'warn');
      if (first?.line) expect(result.outcome.summary).toContain(`${first.file}:${first.line}`);
      await setup.check?.(result);
    });
  }
}

/** A case's `secrets: {NAME: value}` as the entries of a `secrets.env` beside its config (for `setup.secrets`). */
export function secretsOfSpec(config: Config, { spec }: { spec: { secrets: Record<string, string> } }): EnvEntry[] {
  return Object.entries(spec.secrets).map(([key, value], index) => ({ key, value, file: path.join(config.rootDir, 'secrets.env'), line: index + 1 }));
}
