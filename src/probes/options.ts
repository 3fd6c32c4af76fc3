/**
 * The `probes:` part of proofbook.config.yaml, derived from the registry: each probe's options
 * under its id, described by its summary. Light: definitions carry option schemas, not code.
 */
import { z } from 'zod';
import { PROBE_DEFINITIONS } from './registry.ts';

type Definitions = (typeof PROBE_DEFINITIONS)[number];
type Shape = { [D in Definitions as D['id']]: D['options'] };

const shape = Object.fromEntries(PROBE_DEFINITIONS.map((definition) => [definition.id, definition.options.describe(definition.summary)])) as unknown as Shape;

export const ProbeOptionsSchema = z.strictObject(shape).describe('Per-probe options, keyed by probe id.');

/** Every probe's options, as parsed (defaults filled in). */
export type ProbeOptions = z.infer<typeof ProbeOptionsSchema>;
