/**
 * How `gateway.auth` grades what the gateway answered: each attempt without a valid key as
 * refused, refused with a misleading status, accepted, listed or unreachable, and the findings
 * those make; and whether the configured key itself works.
 */
import type { Host } from '../../config/schema.ts';
import type { Finding } from '../../model/findings.ts';
import type { Redactor } from '../../secrets/redactor.ts';
import { Findings } from '../kit/findings.ts';
import { bodyReason, failureText, statusHint } from '../kit/live-http.ts';
import type { AuthAttemptFact, AuthCheckFact, ValidKeyFact } from './facts.ts';
import type { Answer } from './requests.ts';

/** Statuses that say nothing about auth: a redirect, no such path, or nothing behind Traefik. */
export function isUnreachableStatus(status: number): boolean {
  return (status >= 300 && status < 400) || status === 404 || status === 405 || status === 502 || status === 503 || status === 504;
}

/** The first line of an error answer's body, redacted. */
function errorReason(answer: Answer, redactor: Redactor): string | undefined {
  if (answer.status === undefined || (answer.status >= 200 && answer.status < 300)) return undefined;
  const reason = bodyReason(answer.body, 80);
  return reason ? redactor.redact(reason) : undefined;
}

export function attemptFact(answer: Answer, redactor: Redactor): AuthAttemptFact {
  const fact: AuthAttemptFact = { outcome: 'unreachable' };
  if (answer.status !== undefined) fact.status = answer.status;
  if (answer.error) fact.error = redactor.redact(answer.error);
  if (answer.tools) fact.tools = answer.tools;
  const reason = errorReason(answer, redactor);
  if (reason) fact.reason = reason;
  const status = answer.status;
  if (status === undefined) fact.outcome = 'unreachable';
  else if ((answer.tools ?? 0) > 0) fact.outcome = 'listed';
  else if (status === 401 || status === 403) fact.outcome = 'refused';
  else if (status >= 200 && status < 300) fact.outcome = 'accepted';
  else if (isUnreachableStatus(status)) fact.outcome = 'unreachable';
  else fact.outcome = 'refused-misleading';
  return fact;
}

/** Traefik's own 404 body ("404 page not found"), not one of LiteLLM's. */
function isTraefik404(attempt: AuthAttemptFact): boolean {
  return attempt.status === 404 && /^404 page not found$/i.test(attempt.reason ?? '');
}

/**
 * A request without a key that Traefik answered with its own 404, while the same request with a
 * (wrong) key reached LiteLLM: a router gated on the key header (`HeaderRegexp(\`Authorization\`, …)`)
 * refused it before LiteLLM — refused, though not with 401/403.
 */
export function markHeaderGate(noKey: AuthAttemptFact, withKey: AuthAttemptFact): void {
  if (noKey.outcome !== 'unreachable' || !isTraefik404(noKey) || withKey.status === undefined || isTraefik404(withKey)) return;
  noKey.outcome = 'refused-misleading';
  noKey.refusedBy = 'traefik';
}

const WHICH: Record<'noKey' | 'wrongKey', string> = { noKey: 'no key', wrongKey: 'a wrong key' };

/** Findings for one host × endpoint; identical answers to no key and a wrong key make one finding. */
export function judge(check: AuthCheckFact, host: Host, misleading: 'pass' | 'warn' | 'fail'): Finding[] {
  const where = `${check.host} (${host.url}) ${check.path}`;
  const same = check.noKey.outcome === check.wrongKey.outcome && check.noKey.status === check.wrongKey.status && check.noKey.reason === check.wrongKey.reason;
  const groups: { which: string; attempt: AuthAttemptFact }[] = same
    ? [{ which: 'no key and a wrong key', attempt: check.noKey }]
    : (['noKey', 'wrongKey'] as const).map((k) => ({ which: WHICH[k], attempt: check[k] }));
  const findings = new Findings();
  for (const { which, attempt } of groups) {
    switch (attempt.outcome) {
      case 'refused':
        break;
      case 'listed':
        findings.fail(
          'auth.listed',
          `${where}: with ${which} the gateway lists ${attempt.tools} tool(s) (HTTP ${attempt.status}) — anyone who reaches this host can read the MCP catalog without a valid key` +
            (check.external ? '; this is the EXTERNAL host: the catalog is exposed to the internet' : ''),
        );
        break;
      case 'accepted':
        findings.warn('auth.accepted', `${where}: with ${which} the gateway accepts the request (HTTP ${attempt.status}) though it lists no tools — is authentication enforced?`);
        break;
      case 'refused-misleading':
        if (misleading !== 'pass') {
          const answered = `HTTP ${attempt.status}${attempt.reason ? ` "${attempt.reason}"` : ''}`;
          findings.add(
            misleading,
            'auth.misleading-status',
            `${where}: ${which} ${same ? 'are' : 'is'} refused (nothing listed), but with ${answered} instead of 401/403, so a client cannot tell it is an auth failure${refusalNote(attempt)}`,
          );
        }
        break;
      case 'unreachable':
        findings.fail('auth.unchecked', `${where}: cannot check ${which}: ${failureText(host, attempt)}`);
        break;
    }
  }
  return findings.list;
}

/** What a misleading refusal means: Traefik's header gate, or LiteLLM 1.77.x's own (seen on the lab). */
function refusalNote(attempt: AuthAttemptFact): string {
  if (attempt.refusedBy === 'traefik') {
    return ' (Traefik answered it: no router matches a request without the key header, while the same request with a key reaches LiteLLM; see traefik.routes)';
  }
  if (attempt.status === 500 && /MCP request failed/i.test(attempt.reason ?? '')) {
    return ' (LiteLLM 1.77.x answers a missing or rejected key on its MCP endpoint this way; its log shows the auth error)';
  }
  if (attempt.status === 400 && /no connected db/i.test(attempt.reason ?? '')) {
    return ' (LiteLLM without a database answers this to any key that is not its master key: it cannot look the key up)';
  }
  return '';
}

export function validKeyFact(host: Host, url: string, answer: Answer, redactor: Redactor): ValidKeyFact {
  const valid: ValidKeyFact = { host: host.name, url, ok: false };
  if (answer.status !== undefined) valid.status = answer.status;
  if (answer.tools !== undefined) valid.tools = answer.tools;
  if (answer.error) valid.error = redactor.redact(answer.error);
  const reason = errorReason(answer, redactor);
  if (reason) valid.reason = reason;
  valid.ok = answer.status !== undefined && answer.status >= 200 && answer.status < 300 && (answer.tools ?? 0) > 0;
  return valid;
}

export function isUnreachable(valid: ValidKeyFact): boolean {
  return valid.status === undefined || isUnreachableStatus(valid.status);
}

/** The configured key lists tools; else why not (`from`: where the key came from). */
export function judgeValidKey(valid: ValidKeyFact, host: Host, answer: Answer, from: string, keyEnvVar: string, restPath: string): Finding[] {
  const where = `${host.name} (${host.url})`;
  const findings = new Findings();
  if (valid.ok) return findings.list;
  if (valid.status === undefined) {
    findings.fail('key.unchecked', `${where}: cannot check ${from}: GET ${valid.url} failed: ${failureText(host, valid)}`);
  } else if (valid.status >= 200 && valid.status < 300) {
    findings.warn('key.empty', `${where}: ${from} is accepted on ${restPath} but lists no tools (are the MCP servers up? see mcp.catalog)`);
  } else if (isUnreachableStatus(valid.status)) {
    const hint = statusHint(valid.status, answer.body ?? '');
    findings.fail('key.unchecked', `${where}: cannot check ${from}: GET ${valid.url} answered HTTP ${valid.status}${hint ? ` — ${hint}` : ''}`);
  } else {
    const dbHint = /no connected db/i.test(valid.reason ?? '') ? '; LiteLLM without a database answers this to any key that is not its master key' : '';
    findings.fail(
      'key.rejected',
      `${where}: the key itself is rejected: GET ${valid.url} with ${from} answered HTTP ${valid.status}${valid.reason ? ` "${valid.reason}"` : ''}${dbHint} — check ${keyEnvVar}`,
    );
  }
  return findings.list;
}
