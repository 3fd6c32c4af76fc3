/**
 * `gateway.auth` (live): nothing is listed without a valid key, on every host.
 *
 * Per host, with NO key and with a deliberately WRONG key:
 * - `POST <host>/mcp/` — an MCP `initialize` with the streamable-HTTP headers; when the gateway
 *   accepts it, the probe goes on to `tools/list` in that session to see whether tools leak;
 * - `GET <host>/mcp-rest/tools/list`.
 * Then, with the configured key, `GET /mcp-rest/tools/list` must list tools.
 *
 * Verdicts, honestly graded:
 * - 401/403 → refused (pass);
 * - another error status whose body lists no tools → refused with a misleading status (warn by
 *   default; LiteLLM 1.77.1 answers a missing or rejected key on `/mcp/` with 500 "MCP request
 *   failed", and an unknown key on `/mcp-rest/…` without a database with 400 "No connected db.");
 * - 2xx that lists tools → fail (a security finding; on an external host it says the catalog is
 *   exposed to the internet); 2xx listing nothing → warn (accepted without a key);
 * - no answer, 404, 3xx, 502–504 → fail (the property could not be checked); except Traefik's own
 *   404 without a key while the same request with a (wrong) key reaches LiteLLM: a router gated on
 *   the key header refused it, which is a refusal with a misleading status;
 * - the configured key refused → fail ("the key itself is rejected").
 *
 * The key's value is never written: the transcript shows `Bearer [REDACTED]` for it, facts say
 * only where the key came from. Error reasons are redacted with the key and the secrets files.
 */
import { isIP } from 'node:net';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import type { Host } from '../../config/schema.ts';
import { displayPath } from '../../fs/paths.ts';
import { statusOf, type Finding } from '../../model/findings.ts';
import type { Redactor } from '../../secrets/redactor.ts';
import { Findings } from '../kit/findings.ts';
import { gatewayKey } from '../kit/gateway-key.ts';
import { caFileInputs, failureText, listText, pickHosts } from '../kit/live-http.ts';
import { recordingFetch, recordingLimits } from '../kit/recording-fetch.ts';
import type { Probe, ProbeContext, ProbeOutcome } from '../types.ts';
import type { AuthCheckFact, GatewayAuthFacts, ValidKeyFact } from './facts.ts';
import type { GatewayAuthOptions } from './options.ts';
import { AuthRequests } from './requests.ts';
import { summarize } from './summary.ts';
import { attemptFact, isUnreachable, judge, judgeValidKey, markHeaderGate, validKeyFact } from './verdicts.ts';
export type { AuthOutcome, AuthAttemptFact, AuthCheckFact, ValidKeyFact, GatewayAuthFacts } from './facts.ts';

export const GATEWAY_AUTH_ID = 'gateway.auth';

/** Sent as the wrong key: shaped like a LiteLLM key so the gateway really checks it. Not a secret. */
export const WRONG_KEY = 'sk-proofbook-deliberately-wrong-key-0000';

/** What every host's checks share. */
interface AuthRun {
  requests: AuthRequests;
  redactor: Redactor;
  options: GatewayAuthOptions;
  mcpPath: string;
  wrongKey: string;
  /** The configured key, when there is one. */
  key?: string;
  /** Where the key came from, for messages. */
  keyFrom: string;
  keyEnvVar: string;
}

/** One host's checks: no key and a wrong key per endpoint, then the configured key; and their findings. */
interface HostAuth {
  checks: AuthCheckFact[];
  valid: ValidKeyFact;
  findings: Finding[];
}

export const gatewayAuthProbe: Probe<GatewayAuthFacts, GatewayAuthOptions> = {
  id: GATEWAY_AUTH_ID,
  inputs: caFileInputs,
  async run(context: ProbeContext<GatewayAuthOptions>): Promise<ProbeOutcome<GatewayAuthFacts>> {
    const { config, options } = context;
    const keyEnvVar = config.gateway.keyEnvVar;
    const key = gatewayKey(context);
    const facts: GatewayAuthFacts = {
      keyHeader: 'authorization',
      keyEnvVar,
      ...(key.source ? { keySource: key.source.startsWith('/') ? displayPath(config.rootDir, key.source) : key.source } : {}),
      checks: [],
      validKey: [],
      findings: [],
    };
    facts.keyHeader = options.keyHeader;
    const { hosts, unknown } = pickHosts(config, options.hosts);
    const unknownExternal = (options.externalHosts ?? []).filter((n) => !config.hosts.some((h) => h.name === n));
    if (unknown.length || unknownExternal.length) {
      const names = [...unknown, ...unknownExternal];
      return {
        status: 'error',
        summary: `probes."${GATEWAY_AUTH_ID}" names unknown host(s) ${names.join(', ')}; configured: ${config.hosts.map((h) => h.name).join(', ')}`,
        facts,
        transcript: [],
      };
    }

    const recorder = recordingFetch(context.http.fetch, recordingLimits(context.config));
    // The key may come from the environment, which the workspace's secrets do not hold.
    context.redactor.add(key.value);
    const run: AuthRun = {
      requests: new AuthRequests(recorder, context, options),
      redactor: context.redactor,
      options,
      mcpPath: options.mcpPath ?? gatewayMcp(config).path,
      wrongKey: key.value === WRONG_KEY ? `${WRONG_KEY}x` : WRONG_KEY,
      ...(key.value ? { key: key.value } : {}),
      keyFrom: `the key from ${facts.keySource}`,
      keyEnvVar,
    };
    const findings = new Findings();
    for (const host of hosts) {
      context.signal.throwIfAborted();
      const checked = await checkHost(host, run);
      facts.checks.push(...checked.checks);
      facts.validKey.push(checked.valid);
      // A host that answers nothing useful at all gets one finding, not one per request.
      const unchecked = uncheckedHost(host, checked, run);
      if (unchecked) findings.fail('auth.unchecked', unchecked);
      else findings.push(...checked.findings);
    }
    if (!key.value) {
      findings.fail(
        'key.missing',
        `no gateway key: set ${keyEnvVar} in the environment or in one of secretsFiles — without it the probe cannot show that a valid key works`,
      );
    }
    await recorder.settle();

    facts.findings = findings.list;
    const status = findings.status();
    return { status, summary: summarize(facts, status), facts, transcript: recorder.exchanges, target: hosts.map((h) => h.url) };
  },
};

async function checkHost(host: Host, run: AuthRun): Promise<HostAuth> {
  const { requests, redactor, options } = run;
  const external = options.externalHosts ? options.externalHosts.includes(host.name) : looksExternal(new URL(host.url).hostname);
  const checks: AuthCheckFact[] = [];
  const findings: Finding[] = [];
  for (const [endpoint, path] of [['mcp', run.mcpPath], ['rest', options.restPath]] as const) {
    const url = new URL(path, host.url).toString();
    const noKey = attemptFact(await requests.attempt(endpoint, url, 'no-key'), redactor);
    const wrongKey = attemptFact(await requests.attempt(endpoint, url, 'wrong-key', run.wrongKey), redactor);
    markHeaderGate(noKey, wrongKey);
    const check: AuthCheckFact = { host: host.name, external, endpoint, path, url, noKey, wrongKey, verdict: 'pass' };
    const checkFindings = judge(check, host, options.misleadingRejection);
    check.verdict = statusOf(checkFindings) as AuthCheckFact['verdict'];
    checks.push(check);
    findings.push(...checkFindings);
  }

  // The configured key must work, or every refusal above proves nothing about the key.
  const restUrl = new URL(options.restPath, host.url).toString();
  let valid: ValidKeyFact = { host: host.name, url: restUrl, ok: false };
  if (run.key) {
    const answer = await requests.attempt('rest', restUrl, 'valid-key', run.key);
    valid = validKeyFact(host, restUrl, answer, redactor);
    findings.push(...judgeValidKey(valid, host, answer, run.keyFrom, run.keyEnvVar, options.restPath));
  }
  return { checks, valid, findings };
}

/** When every request to the host failed the same way (no answer, or only answers that say nothing about auth): the one message for it. */
function uncheckedHost(host: Host, { checks, valid }: HostAuth, run: AuthRun): string | undefined {
  const attempts = [
    ...checks.flatMap((c) => [c.noKey, c.wrongKey]),
    ...(run.key ? [{ outcome: isUnreachable(valid) ? 'unreachable' : 'other', status: valid.status, error: valid.error, reason: valid.reason }] : []),
  ];
  const first = attempts[0]!;
  if (!attempts.every((a) => a.outcome === 'unreachable' && a.status === first.status && a.error === first.error)) return undefined;
  const paths = listText([...new Set(checks.map((c) => c.path))]);
  return (
    `${host.name} (${host.url}): cannot check auth: every request (${paths}, no key, a wrong key${run.key ? ', the key' : ''}) ` +
    `${first.status === undefined ? 'failed' : 'answered'} ${failureText(host, first)}`
  );
}

/** A public DNS name or address: not .lan/.local/.internal/.home.arpa/localhost, not a private or loopback IP. */
export function looksExternal(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(name) === 4) return !/^(10\.|127\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/.test(name);
  if (isIP(name) === 6) return !/^(::1$|f[cd]|fe[89ab])/.test(name);
  if (!name.includes('.')) return false;
  return !/\.(lan|local|internal|intranet|localdomain|home\.arpa|localhost|test|example|invalid)$/.test(name) && name !== 'localhost';
}
