/**
 * Why Traefik answered a route request with its own 404 although it has routers for the host:
 * each router's rule against the request that was sent (host, path, method, headers), and the part
 * it did not match — typically a router gated on the key, `HeaderRegexp(\`Authorization\`, …)`,
 * and a request without the key; or open routers for other paths (`/ui`, the docs).
 */
import { explainMismatch, type RuleMismatch } from '../../gateway/traefik-rule-match.ts';
import { tryParseRule } from '../../gateway/traefik-rules.ts';
import { KEY_HEADER } from '../kit/gateway-key.ts';
import type { RouteHostFact } from './facts.ts';
import type { RouteCheckRun } from './host-checks.ts';
import type { ApiRouter } from './traefik-api.ts';

export interface UnmatchedRouter {
  /** As Traefik names it, e.g. `litellm-lan@file`. */
  router: string;
  /** The part of its rule the request did not match. */
  needs: string;
  /** For the message: router, what it needs and, for header matchers, what the request carried. */
  text: string;
}

/** The host's routers whose rule refuses the request, with why; empty when none can be shown to. */
export function unmatchedRouters(routers: ApiRouter[], fact: RouteHostFact, run: RouteCheckRun): UnmatchedRouter[] {
  const url = new URL(fact.request.url);
  const request = { host: url.hostname, path: url.pathname, method: 'GET', headers: run.headers };
  const unmatched: (UnmatchedRouter & { byHeader: boolean })[] = [];
  for (const router of routers) {
    const tree = tryParseRule(router.rule);
    const mismatch = tree && explainMismatch(tree, request, router.ruleSyntax === 'v2' ? 'v2' : 'v3');
    if (!mismatch) return []; // this router may have matched: the 404 is not the rules'
    const text = `${router.name} needs ${mismatch.text}${headerNote(mismatch, run)}`;
    unmatched.push({ router: router.name, needs: mismatch.text, text, byHeader: mismatch.headers.length > 0 });
  }
  // The routers a header refused first (the usual cause: the key), then by name.
  return unmatched
    .sort((a, b) => Number(b.byHeader) - Number(a.byHeader) || a.router.localeCompare(b.router))
    .map(({ router, needs, text }) => ({ router, needs, text }));
}

/** What the request carried of the headers a router wanted (never a value). */
function headerNote(mismatch: RuleMismatch, run: RouteCheckRun): string {
  const notes = mismatch.headers.map(({ header, sent }) => {
    const isKeyHeader = header.toLowerCase() === KEY_HEADER;
    if (sent) return `the request's ${header} header does not match it`;
    if (isKeyHeader && !run.headers[KEY_HEADER]) {
      return `the request carried no ${header} header: there is no gateway key, set ${run.context.config.gateway.keyEnvVar} in the environment or a secrets file`;
    }
    return `the request carried no ${header} header${isKeyHeader ? '' : '; Proofbook, like clients, sends the key in Authorization'}`;
  });
  return notes.length ? ` (${[...new Set(notes)].join('; ')})` : '';
}
