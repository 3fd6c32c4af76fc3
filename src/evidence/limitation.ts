/**
 * What a probe records about a limitation the team documented (`facts.limitation`): the text, and
 * whether this run observed it. `known-limitation` cells and `--check`'s limitation sentences read it.
 */
import type { ProbeView } from './history.ts';

/** What a probe records about a documented limitation it observed (or not). */
export interface LimitationFact {
  documented: string;
  observed: boolean;
}

export function limitationFact(view: ProbeView | undefined): LimitationFact | undefined {
  const fact = (view?.facts as { limitation?: unknown } | undefined)?.limitation;
  if (!fact || typeof fact !== 'object') return undefined;
  const { documented, observed } = fact as Record<string, unknown>;
  return typeof documented === 'string' && typeof observed === 'boolean' ? { documented, observed } : undefined;
}
