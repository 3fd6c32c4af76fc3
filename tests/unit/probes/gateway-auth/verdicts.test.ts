/**
 * `gateway.auth` behind a router gated on the key header: Traefik's own 404 without a key, while
 * the same request with a (wrong) key reaches LiteLLM, is a refusal (misleading status), not an
 * unreachable host; a 404 for both stays "cannot check".
 */
import { describe, expect, it } from 'vitest';
import type { AuthAttemptFact, AuthCheckFact } from '../../../../src/probes/gateway-auth/facts.ts';
import { judge, markHeaderGate } from '../../../../src/probes/gateway-auth/verdicts.ts';

const host = { name: 'lan', url: 'http://litellm.linuxserver.lan' } as Parameters<typeof judge>[1];
const traefik404 = (): AuthAttemptFact => ({ outcome: 'unreachable', status: 404, reason: '404 page not found' });

function check(noKey: AuthAttemptFact, wrongKey: AuthAttemptFact): AuthCheckFact {
  return { host: 'lan', external: false, endpoint: 'rest', path: '/mcp-rest/tools/list', url: 'http://litellm.linuxserver.lan/mcp-rest/tools/list', noKey, wrongKey, verdict: 'pass' };
}

describe('markHeaderGate', () => {
  it('reads Traefik\'s 404 without a key as a refusal when a wrong key reaches LiteLLM', () => {
    const noKey = traefik404();
    const wrongKey: AuthAttemptFact = { outcome: 'refused', status: 401, reason: 'Authentication Error' };
    markHeaderGate(noKey, wrongKey);
    expect(noKey).toEqual({ outcome: 'refused-misleading', status: 404, reason: '404 page not found', refusedBy: 'traefik' });
    const findings = judge(check(noKey, wrongKey), host, 'warn');
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warn',
        code: 'auth.misleading-status',
        message:
          'lan (http://litellm.linuxserver.lan) /mcp-rest/tools/list: no key is refused (nothing listed), but with HTTP 404 "404 page not found" instead of 401/403, ' +
          'so a client cannot tell it is an auth failure (Traefik answered it: no router matches a request without the key header, while the same request with a key ' +
          'reaches LiteLLM; see traefik.routes)',
      }),
    ]);
  });

  it('leaves a 404 for both, or LiteLLM\'s own 404, as cannot check', () => {
    const both = traefik404();
    markHeaderGate(both, traefik404());
    expect(both.outcome).toBe('unreachable');
    const litellm404: AuthAttemptFact = { outcome: 'unreachable', status: 404, reason: 'Not Found' };
    markHeaderGate(litellm404, { outcome: 'refused', status: 401 });
    expect(litellm404.outcome).toBe('unreachable');
  });
});
