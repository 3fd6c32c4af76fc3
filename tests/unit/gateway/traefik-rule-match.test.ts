/**
 * Traefik rules against one request: header-gated routers (the key in `Authorization`), open
 * routers for paths, and which matcher refused a request, in the rule's own words.
 */
import { describe, expect, it } from 'vitest';
import { explainMismatch, ruleMatchesRequest } from '../../../src/gateway/traefik-rule-match.ts';
import { parseRule } from '../../../src/gateway/traefik-rules.ts';

const GATED = 'Host(`litellm.linuxserver.lan`) && HeaderRegexp(`Authorization`, `^Bearer\\s+.+`)';
const UI = 'Host(`litellm.linuxserver.lan`) && PathPrefix(`/ui`)';
const DOCS = 'Host(`litellm.linuxserver.lan`) && (Path(`/`) || Path(`/openapi.json`) || PathPrefix(`/redoc`))';
const host = 'litellm.linuxserver.lan';

describe('ruleMatchesRequest', () => {
  it('matches a header-gated rule only with the header, whatever case its name has', () => {
    const rule = parseRule(GATED);
    expect(ruleMatchesRequest(rule, { host, path: '/mcp/', headers: {} })).toBe(false);
    expect(ruleMatchesRequest(rule, { host, path: '/mcp/', headers: { 'x-litellm-api-key': 'Bearer sk-1' } })).toBe(false);
    expect(ruleMatchesRequest(rule, { host, path: '/mcp/', headers: { authorization: 'Bearer sk-1' } })).toBe(true);
    expect(ruleMatchesRequest(rule, { host, headers: { AUTHORIZATION: 'Bearer  sk-1' } })).toBe(true);
    expect(ruleMatchesRequest(rule, { host, headers: { authorization: 'Basic abc' } })).toBe(false);
    expect(ruleMatchesRequest(rule, { host: 'other.lan', headers: { authorization: 'Bearer sk-1' } })).toBe(false);
    // Headers unknown: the host alone cannot decide.
    expect(ruleMatchesRequest(rule, { host })).toBeUndefined();
  });

  it('reads paths, methods, exact headers, (?i) and v2 matchers; leaves ClientIP undecided', () => {
    expect(ruleMatchesRequest(parseRule(UI), { host, path: '/ui/login' })).toBe(true);
    expect(ruleMatchesRequest(parseRule(UI), { host, path: '/health/liveliness' })).toBe(false);
    expect(ruleMatchesRequest(parseRule(DOCS), { host, path: '/openapi.json' })).toBe(true);
    expect(ruleMatchesRequest(parseRule('Method(`POST`) && PathRegexp(`^/mcp/?$`)'), { method: 'post', path: '/mcp/' })).toBe(true);
    expect(ruleMatchesRequest(parseRule('Header(`X-Team`, `ai`)'), { headers: { 'x-team': 'AI' } })).toBe(false);
    expect(ruleMatchesRequest(parseRule('HeaderRegexp(`X-Team`, `(?i)^ai$`)'), { headers: { 'x-team': 'AI' } })).toBe(true);
    expect(ruleMatchesRequest(parseRule('HeadersRegexp(`Authorization`, `^Bearer .+`)'), { headers: { authorization: 'Bearer k' } }, 'v2')).toBe(true);
    expect(ruleMatchesRequest(parseRule('Host(`a`) && !ClientIP(`10.0.0.0/8`)'), { host: 'a', headers: {} })).toBeUndefined();
  });
});

describe('explainMismatch', () => {
  it('names the header matcher that refused a request without the header, and that none was sent', () => {
    expect(explainMismatch(parseRule(GATED), { host, path: '/health/liveliness', method: 'GET', headers: {} })).toEqual({
      text: 'HeaderRegexp(`Authorization`, `^Bearer\\s+.+`)',
      headers: [{ matcher: 'HeaderRegexp(`Authorization`, `^Bearer\\s+.+`)', header: 'Authorization', sent: false }],
    });
    expect(explainMismatch(parseRule(GATED), { host, headers: { authorization: 'Token abc' } })!.headers).toEqual([
      { matcher: 'HeaderRegexp(`Authorization`, `^Bearer\\s+.+`)', header: 'Authorization', sent: true },
    ]);
  });

  it('names the paths an open router wants, and nothing for a rule that matches or cannot tell', () => {
    expect(explainMismatch(parseRule(UI), { host, path: '/health/liveliness', headers: {} })!.text).toBe('PathPrefix(`/ui`)');
    expect(explainMismatch(parseRule(DOCS), { host, path: '/health/liveliness', headers: {} })!.text).toBe(
      '(Path(`/`) || Path(`/openapi.json`) || PathPrefix(`/redoc`))',
    );
    expect(explainMismatch(parseRule('Host(`a`) && !Path(`/x`)'), { host: 'a', path: '/x' })!.text).toBe('!Path(`/x`)');
    expect(explainMismatch(parseRule(GATED), { host, headers: { authorization: 'Bearer k' } })).toBeUndefined();
    expect(explainMismatch(parseRule(UI), { host })).toBeUndefined();
  });
});
