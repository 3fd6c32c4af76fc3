/**
 * The statuses a probe reports and the one order of how bad they are. Every "the worst wins"
 * (an item bound to several probes, a cell of the client matrix, a node of the topology, the
 * status of a list of findings) uses this order, so they cannot disagree.
 */

/**
 * `known-limitation`: the check found exactly the limitation the team has documented and accepted
 * (e.g. Open WebUI lists the MCP catalog but cannot call tools through the gateway). It renders as
 * ⚠️ with its explanation and does not fail a refresh.
 */
export const PROBE_STATUSES = ['pass', 'warn', 'fail', 'skip', 'error', 'known-limitation'] as const;
export type ProbeStatus = (typeof PROBE_STATUSES)[number];

/** How bad each status is, least first. A known limitation is accepted: below a warning, above a skip. */
export const STATUS_SEVERITY: Readonly<Record<ProbeStatus, number>> = { pass: 0, skip: 1, 'known-limitation': 1.5, warn: 2, fail: 3, error: 4 };

/** The item whose status is worst; the first of equals; undefined for none. */
export function worstBy<T>(items: Iterable<T>, statusOf: (item: T) => ProbeStatus): T | undefined {
  let worst: T | undefined;
  for (const item of items) {
    if (worst === undefined || STATUS_SEVERITY[statusOf(item)] > STATUS_SEVERITY[statusOf(worst)]) worst = item;
  }
  return worst;
}

/** The worst of several statuses; undefined for none. */
export function worst(statuses: Iterable<ProbeStatus>): ProbeStatus | undefined {
  return worstBy(statuses, (status) => status);
}
