/**
 * `mcp.catalog`'s `compare` (pure, no I/O): the catalog the probe listed, diffed against the
 * catalog of the evidence that established what the docs currently show (refresh passes that view).
 *
 * When the catalog is the same as that one, the previous diff is carried over unchanged, so
 * `facts.diff` always describes the latest change of the catalog ("vs `against`") and facts stay
 * byte-identical while nothing changes (comparing with the previous *run* instead would report a
 * change once and then flip to "no change"). A run that cannot list tools carries the last listed
 * catalog in `facts.lastCatalog`, so the diff after an outage is still against the last catalog
 * seen. The first catalog on record has a diff with no `against` and empty lists.
 */
import type { ProbeOutcome, ProbeView } from '../types.ts';
import type { CatalogDiff, CatalogFacts, CatalogSnapshot } from './facts.ts';

/** The outcome to record: with `diff` when the probe listed a catalog, else with `lastCatalog` when there is one. */
export function compareCatalog(previous: ProbeView | undefined, current: ProbeOutcome): ProbeOutcome<Partial<CatalogFacts>> {
  const facts = current.facts as Partial<CatalogFacts>;
  if (facts.schemas) return { ...current, facts: { ...facts, diff: catalogDiff(facts.schemas, previous) } };
  const lastCatalog = baselineOf(previous);
  return { ...current, facts: lastCatalog ? { ...facts, lastCatalog } : facts };
}

/** The last catalog on record in a previous view of this probe, if any. */
export function baselineOf(view: ProbeView | undefined): CatalogSnapshot | undefined {
  if (!view) return undefined;
  const facts = view.facts as Partial<CatalogFacts>;
  if (facts.schemas) return { evidence: view.evidence, schemas: facts.schemas, ...(facts.diff ? { diff: facts.diff } : {}) };
  if (facts.lastCatalog) return facts.lastCatalog;
  // Evidence written before schemas were recorded: names only.
  const names = [
    ...(facts.servers ?? []).flatMap((s) => (s.tools ?? []).map((t) => `${s.name}-${t}`)),
    ...(facts.otherTools ?? []),
  ];
  if (!names.length) return undefined;
  return { evidence: view.evidence, schemas: Object.fromEntries(names.sort().map((n) => [n, ''])) };
}

/**
 * The latest change of the catalog: against the previous view's catalog; when that catalog is
 * the same as this one, the previous diff unchanged (so identical runs give identical facts).
 */
export function catalogDiff(schemas: Record<string, string>, previous: ProbeView | undefined): CatalogDiff {
  const base = baselineOf(previous);
  if (!base) return { added: [], removed: [], changed: [] };
  if (base.diff && sameSchemas(base.schemas, schemas)) return base.diff;
  const names = Object.keys(schemas);
  const before = Object.keys(base.schemas);
  return {
    against: base.evidence,
    added: names.filter((n) => !(n in base.schemas)).sort(),
    removed: before.filter((n) => !(n in schemas)).sort(),
    changed: names.filter((n) => n in base.schemas && base.schemas[n] !== '' && base.schemas[n] !== schemas[n]).sort(),
  };
}

function sameSchemas(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && a[k] === b[k]);
}
