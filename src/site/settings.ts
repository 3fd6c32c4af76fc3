/**
 * The site's own knobs, with defaults.
 *
 * They belong under `site:` in proofbook.config.yaml; until the schema has that field the
 * config cannot carry them (it is strict), so this reads `config.site` defensively and
 * falls back to the defaults for anything missing or malformed.
 */
export interface EvidenceLimits {
  /** An embedded file shows at most this many lines… */
  maxLines: number;
  /** …and at most this many bytes; the rest is a link to the full file. */
  maxBytes: number;
}

export interface SiteSettings {
  /** After this many hours without a run, a probe's status counts as stale. */
  maxAgeHours: number;
  /** How many runs the dashboard's history strip shows per probe. */
  historyRuns: number;
  evidence: EvidenceLimits;
}

export const SITE_DEFAULTS: SiteSettings = {
  maxAgeHours: 24,
  historyRuns: 20,
  evidence: { maxLines: 200, maxBytes: 64 * 1024 },
};

/** "Now" for the build (ISO time); lets tests and reproducible builds pin what "stale" means. */
export const NOW_ENV = 'PROOFBOOK_SITE_NOW';

export function siteSettings(config: object): SiteSettings {
  const site = record((config as { site?: unknown }).site);
  const evidence = record(site.evidence);
  return {
    maxAgeHours: positive(site.maxAgeHours, SITE_DEFAULTS.maxAgeHours),
    historyRuns: Math.round(positive(site.historyRuns, SITE_DEFAULTS.historyRuns)),
    evidence: {
      maxLines: Math.round(positive(evidence.maxLines, SITE_DEFAULTS.evidence.maxLines)),
      maxBytes: Math.round(positive(evidence.maxBytes, SITE_DEFAULTS.evidence.maxBytes)),
    },
  };
}

export function siteNow(env: NodeJS.ProcessEnv = process.env): Date {
  const pinned = env[NOW_ENV];
  if (!pinned) return new Date();
  const date = new Date(pinned);
  if (Number.isNaN(date.getTime())) throw new Error(`${NOW_ENV}=${pinned} is not a date; use an ISO time such as 2026-11-25T12:00:00Z`);
  return date;
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
