/**
 * A probe's options from the config, parsed with its schema. The config stage has validated them
 * already; parsing again fills in the defaults when a config was assembled by hand with raw
 * options (the lab's tests do), so a probe always sees one shape.
 */
import type { z } from 'zod';
import type { Config } from '../config.ts';

/** `probes.<id>` parsed with `schema` (its defaults when absent); throws on options that do not parse. */
export function readProbeOptions<S extends z.ZodType>(config: Config, id: string, schema: S): z.output<S> {
  return schema.parse(rawOptions(config, id));
}

/** The same, or undefined when they do not parse: for `inputs()`, which lists files and must not throw. */
export function tryProbeOptions<S extends z.ZodType>(config: Config, id: string, schema: S): z.output<S> | undefined {
  const parsed = schema.safeParse(rawOptions(config, id));
  return parsed.success ? parsed.data : undefined;
}

function rawOptions(config: Config, id: string): unknown {
  return (config.probes as Record<string, unknown>)[id] ?? {};
}
