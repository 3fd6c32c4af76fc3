/**
 * The workspace config as the probes read it: the config stage's loader with every probe's
 * option schema (./options.ts) filled in, so `config.probes[id]` is validated, defaulted and
 * typed. The config stage itself knows no probe; this is where the two meet.
 */
import { CONFIG_FILE_NAME, ConfigError, deprecationWarnings, loadConfig as loadWith, parseConfig as parseWith, type Config as ConfigOf, type LoadOptions } from '../config/load.ts';
import { configSchema } from '../config/schema.ts';
import { ProbeOptionsSchema, type ProbeOptions } from './options.ts';

export { CONFIG_FILE_NAME, ConfigError, deprecationWarnings };

export type Config = ConfigOf<ProbeOptions>;

/** The whole config schema, probes' options included (for the generated reference). */
export const FULL_CONFIG_SCHEMA = configSchema(ProbeOptionsSchema);

export function loadConfig(configPath: string, options: Omit<LoadOptions, 'probeOptions'> = {}): Promise<Config> {
  return loadWith(configPath, { ...options, probeOptions: ProbeOptionsSchema });
}

export function parseConfig(text: string, configPath: string, options: Omit<LoadOptions, 'probeOptions'> = {}): Config {
  return parseWith(text, configPath, { ...options, probeOptions: ProbeOptionsSchema });
}
