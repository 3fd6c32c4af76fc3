/**
 * How the three Codex probes (`codex.config`, `codex.list`, `codex.invoke`) are put together: each
 * reads its options, resolves them to Codex settings (CODEX_HOME, the entry, the host's endpoint)
 * and declares config.toml for the preflight, the same way.
 */
import type { z } from 'zod';
import type { Config } from '../config.ts';
import type { Probe, ProbeContext, ProbeOutcome } from '../types.ts';
import { displayPath } from './checks.ts';
import { codexConfigInputs, codexSettings, type CodexSettings } from './codex-shared.ts';
import { readProbeOptions } from './read-options.ts';

/** What a Codex probe's run starts from. */
export interface CodexStart<Options> {
  options: Options;
  settings: CodexSettings;
  /** A path as findings and facts show it (relative to the workspace when inside it). */
  show: (file: string) => string;
}

type CodexOptions = Parameters<typeof codexSettings>[1];

export function codexProbe<S extends z.ZodType<CodexOptions>, Facts extends object>(
  id: string,
  schema: S,
  run: (context: ProbeContext, start: CodexStart<z.output<S>>) => Promise<ProbeOutcome<Facts>>,
): Probe<Facts> {
  const start = (config: Config): CodexStart<z.output<S>> => {
    const options = readProbeOptions(config, id, schema);
    return { options, settings: codexSettings(config, options), show: (file) => displayPath(config.rootDir, file) };
  };
  return {
    id,
    inputs: (config) => codexConfigInputs(start(config).settings),
    run: (context) => run(context, start(context.config)),
  };
}
