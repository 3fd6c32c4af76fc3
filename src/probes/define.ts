/**
 * A probe as the rest of Proofbook knows it, without loading its code: id, version, kind, the
 * one summary (config reference, `--help`, docs), its option schema (light: zod only), how to
 * load its code and, optionally, its renderer, its client, its `init` keywords and its part of
 * the dashboard's topology (light too:
 * mdast types and src/probes/kit/). The registry lists these; `load()` imports a probe's module (the MCP SDK, execa,
 * …) only when it is about to run, so the config, `init`, `--help` and the site stay light.
 */
import type { z } from 'zod';
import type { ProbeAdoption } from './kit/adopt.ts';
import type { RegionRenderer } from './kit/render/status.ts';
import type { ProbeTopology } from './kit/topology.ts';
import type { Probe, ProbeOutcome, ProbeView } from './types.ts';

/** `static`: reads files; `live`: talks to the running system. */
export type ProbeKind = 'static' | 'live';

export interface ProbeDefinition<Id extends string = string, Options extends z.ZodType = z.ZodType> {
  id: Id;
  /** Version of the probe's checks, recorded with its evidence; bump it when what it checks changes. */
  version: string;
  kind: ProbeKind;
  /** The one description of the probe. */
  summary: string;
  /** Its `probes.<id>` options, with their defaults. */
  options: Options;
  /** The probe's code, imported on first use; its context's options are what `options` parses to. */
  load(): Promise<Probe<object, z.output<Options>>>;
  /** Draws its region (`<!-- proofbook:start <id> -->`) from its evidence: ./<id>/render.ts, light (no probe code). */
  render?: RegionRenderer;
  /** A client probe: the client-matrix row its `facts.clientMatrix` cells fill, and how tables name it. */
  client?: ProbeClient;
  /** How `proofbook init` recognises the probe in hand-written runbooks (./kit/adopt.ts). */
  adopt?: ProbeAdoption;
  /** Its part of the dashboard's topology diagram (nodes, host states, edges): ./<id>/topology.ts, light (./kit/topology.ts). */
  topology?: ProbeTopology;
  /**
   * Pure, no I/O: the outcome to record, given what the evidence showed of this probe before the
   * run (e.g. a catalog diffed against the previous one). Called by refresh after the probe
   * returned (not after a crash or a timeout).
   */
  compare?(previous: ProbeView | undefined, current: ProbeOutcome): ProbeOutcome;
}

export interface ProbeClient {
  /** As in its matrix cells, e.g. `codex`. */
  id: string;
  /** e.g. `Codex CLI`. */
  name: string;
}

export function defineProbe<const Id extends string, Options extends z.ZodType>(definition: ProbeDefinition<Id, Options>): ProbeDefinition<Id, Options> {
  return definition;
}

/**
 * The folder of a probe under src/probes/: its id with `.` as `-` (`traefik.labels` →
 * `traefik-labels`). Files kept next to the definition but read from disk, like `guide.md`, are
 * found through it; tests/unit/probes/probe-folders.test.ts holds every registered probe to it.
 */
export function probeFolderName(id: string): string {
  return id.replaceAll('.', '-');
}

/** The probe's code with the definition's id, version (what its evidence records) and option schema (what its context's options are parsed with). */
export async function loadProbe(definition: ProbeDefinition): Promise<Probe> {
  const probe = await definition.load();
  return { ...probe, id: definition.id, version: definition.version, optionsSchema: definition.options };
}
