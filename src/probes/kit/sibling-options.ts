/**
 * Another probe's options, for a probe whose options default to that probe's (`claude.invoke`
 * takes what it leaves open from `claude.list`'s). A probe's own options come parsed in its
 * context (src/probes/context.ts); this reads a sibling's: `probes.<id>` parsed with that probe's
 * schema, so its defaults are filled in also when a config was assembled by hand with raw options
 * (the lab's tests do).
 */
import type { z } from 'zod';
import type { Config } from '../config.ts';

/** `probes.<id>` parsed with `schema`; its defaults when absent or invalid (that probe's own run reports invalid options). */
export function siblingOptions<S extends z.ZodType>(config: Config, id: string, schema: S): z.output<S> {
  const parsed = schema.safeParse((config.probes as Record<string, unknown>)[id] ?? {});
  return parsed.success ? parsed.data : schema.parse({});
}
