/**
 * How the three Codex probes (`codex.config`, `codex.list`, `codex.invoke`) are put together: each
 * resolves its options (`context.options`) to Codex settings (CODEX_HOME, the entry, the host's
 * endpoint) and declares config.toml for the preflight, the same way.
 */
import type { Config } from '../config.ts';
import type { Probe, ProbeContext, ProbeOutcome } from '../types.ts';
import { displayPath } from './checks.ts';
import { codexConfigInputs, codexSettings, type CodexSettings } from './codex-shared.ts';

/** What a Codex probe's run starts from, besides its context. */
export interface CodexStart {
  settings: CodexSettings;
  /** A path as findings and facts show it (relative to the workspace when inside it). */
  show: (file: string) => string;
}

type CodexOptions = Parameters<typeof codexSettings>[1];

export function codexProbe<Options extends CodexOptions, Facts extends object>(
  id: string,
  run: (context: ProbeContext<Options>, start: CodexStart) => Promise<ProbeOutcome<Facts>>,
): Probe<Facts, Options> {
  const start = (config: Config, options: Options): CodexStart => ({ settings: codexSettings(config, options), show: (file) => displayPath(config.rootDir, file) });
  return {
    id,
    inputs: (config, options) => codexConfigInputs(start(config, options).settings),
    run: (context) => run(context, start(context.config, context.options)),
  };
}
