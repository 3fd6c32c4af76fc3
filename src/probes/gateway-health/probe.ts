/**
 * `gateway.health` (live): LiteLLM's own health endpoints, through each host's route.
 *
 * Per host: `GET /health/liveliness` and `GET /health/readiness` (LiteLLM needs no key for them,
 * but the requests carry it as clients do, `Authorization: Bearer`, when one is configured: a
 * Traefik router gated on that header answers 404 without it), readiness' `status` / `db` fields
 * and the LiteLLM version (`litellm_version`): from readiness where the release reports it there
 * (1.77.1), else from `GET /health/readiness/details` (1.110.2 moved it there, behind the key),
 * recording that URL as `versionFrom`. That second request only reads the version: its answer changes no status.
 * pass: both answer 200 · warn: readiness is not 200 (or not "healthy") while liveliness is ·
 * fail: liveliness does not answer 200 (the message names the host, the URL and the status).
 *
 * Latencies and response headers go to the transcript only; facts keep statuses, the version
 * and readiness' stable fields so the docs do not move while nothing changes.
 */
import type { Host } from '../../config/schema.ts';
import { failsThenWarnings, formatFinding } from '../../model/findings.ts';
import type { ProbeStatus } from '../../model/status.ts';
import { Findings } from '../kit/findings.ts';
import { bodyReason, caFileInputs, errorText, failureText, jsonOrUndefined, listText, pickHosts, requestSignal } from '../kit/live-http.ts';
import { gatewayKey, keyHeaders } from '../kit/gateway-key.ts';
import { recordingFetch, type RecordingFetch, recordingLimits } from '../kit/recording-fetch.ts';
import type { GatewayHealthOptions } from './options.ts';
import type { Probe, ProbeContext, ProbeOutcome } from '../types.ts';
import type { HealthCheckFact, ReadinessFact, HealthHostFact, GatewayHealthFacts } from './facts.ts';
export type { HealthCheckFact, ReadinessFact, HealthHostFact, GatewayHealthFacts } from './facts.ts';

export const GATEWAY_HEALTH_ID = 'gateway.health';

export const gatewayHealthProbe: Probe<GatewayHealthFacts, GatewayHealthOptions> = {
  id: GATEWAY_HEALTH_ID,
  inputs: caFileInputs,
  async run(context: ProbeContext<GatewayHealthOptions>): Promise<ProbeOutcome<GatewayHealthFacts>> {
    const facts: GatewayHealthFacts = { hosts: [], versions: [], findings: [] };
    const options = context.options;
    const { hosts, unknown } = pickHosts(context.config, options.host ? [options.host] : undefined);
    if (unknown.length) {
      const summary = `probes."${GATEWAY_HEALTH_ID}".host names unknown host ${unknown[0]}; configured: ${context.config.hosts.map((h) => h.name).join(', ')}`;
      return { status: 'error', summary, facts, transcript: [] };
    }

    const recorder = recordingFetch(context.http.fetch, recordingLimits(context.config));
    const findings = new Findings();
    const headers = keyHeaders(gatewayKey(context).value);
    facts.keySent = Object.keys(headers).length > 0;
    facts.keyEnvVar = context.config.gateway.keyEnvVar;
    for (const host of hosts) {
      context.signal.throwIfAborted();
      facts.hosts.push(await checkHost(host, { recorder, context, options, headers }, findings));
    }
    await recorder.settle();

    facts.findings = findings.list;
    facts.versions = [...new Set(facts.hosts.flatMap((h) => (h.version ? [h.version] : [])))].sort();
    const status = findings.status();
    return { status, summary: summarize(facts, status), facts, transcript: recorder.exchanges, target: hosts.map((h) => h.url) };
  },
};

/** What every request shares: the recorder, the run, the options and the key header (if any). */
interface HealthRun {
  recorder: RecordingFetch;
  context: ProbeContext;
  options: GatewayHealthOptions;
  headers: Record<string, string>;
}

/** Liveliness and readiness of one host; its findings go to `findings`. */
async function checkHost(host: Host, run: HealthRun, findings: Findings): Promise<HealthHostFact> {
  const where = `${host.name} (${host.url})`;
  const hostFindings = new Findings();
  const live = await check(run, new URL(run.options.livelinessPath, host.url).toString());
  const ready = await check(run, new URL(run.options.readinessPath, host.url).toString());
  const readiness: ReadinessFact = { ...ready.fact };
  const json = ready.json as { status?: unknown; db?: unknown; litellm_version?: unknown } | undefined;
  if (typeof json?.status === 'string') readiness.state = json.status;
  if (typeof json?.db === 'string') readiness.db = json.db;
  const found = await findVersion(host, run, ready, live.fact.ok);

  if (!live.fact.ok) {
    hostFindings.fail('liveliness', `${where}: liveliness ${describeFailure(host, live.fact)}`);
  } else if (!readiness.ok) {
    hostFindings.warn('readiness', `${where}: LiteLLM is alive but readiness ${describeFailure(host, readiness)} (see LiteLLM's log: database, cache or callbacks)`);
  } else if (readiness.state && readiness.state !== 'healthy') {
    hostFindings.warn('readiness.state', `${where}: readiness answered 200 but says status "${readiness.state}"`);
  }
  findings.push(...hostFindings.list);
  return {
    host: host.name,
    url: host.url,
    liveliness: live.fact,
    readiness,
    ...found,
    status: hostFindings.status() as HealthHostFact['status'],
  };
}

type VersionFacts = Pick<HealthHostFact, 'version' | 'versionFrom' | 'versionCheck'>;

/**
 * The version where this release serves it: readiness first; when that has none and the host is
 * alive, the details endpoint with the key as clients send it. Behaviour, not version numbers:
 * a release that reports it in readiness again is read there.
 */
async function findVersion(host: Host, run: HealthRun, readiness: { fact: HealthCheckFact; json?: unknown }, alive: boolean): Promise<VersionFacts> {
  const inReadiness = versionIn(readiness.json);
  // Readiness' own URL is not repeated: 1.77.1's facts (and evidence) stay as they were.
  if (inReadiness) return { version: inReadiness };
  if (!alive) return {};
  const details = await check(run, new URL(run.options.readinessDetailsPath, host.url).toString());
  const version = details.fact.ok ? versionIn(details.json) : undefined;
  return version ? { version, versionFrom: details.fact.url } : { versionCheck: details.fact };
}

function versionIn(json: unknown): string | undefined {
  const version = (json as { litellm_version?: unknown } | undefined)?.litellm_version;
  return typeof version === 'string' && version ? version : undefined;
}

async function check({ recorder, context, options, headers }: HealthRun, url: string): Promise<{ fact: HealthCheckFact; json?: unknown }> {
  try {
    const response = await recorder.fetch(url, { headers, signal: requestSignal(context, options.requestTimeoutMs), redirect: 'manual' });
    const body = await response.text();
    const ok = response.status === 200;
    const reason = ok ? undefined : bodyReason(body, 80);
    return { fact: { url, status: response.status, ok, ...(reason ? { reason } : {}) }, json: jsonOrUndefined(body) };
  } catch (error) {
    context.signal.throwIfAborted();
    return { fact: { url, ok: false, error: errorText(error) } };
  }
}

function describeFailure(host: Host, fact: HealthCheckFact): string {
  return `GET ${fact.url} ${fact.status === undefined ? 'failed:' : 'answered'} ${failureText(host, fact)}`;
}

function summarize(facts: GatewayHealthFacts, status: ProbeStatus): string {
  if (status !== 'pass') return failsThenWarnings(facts.findings).map(formatFinding).join('; ');
  const names = listText(facts.hosts.map((h) => h.host));
  const versions = facts.versions.length === 1
    ? `LiteLLM ${facts.versions[0]}`
    : facts.versions.length
      ? facts.hosts.map((h) => `${h.host}: LiteLLM ${h.version ?? 'version unknown'}`).join(', ')
      : `LiteLLM version not reported${whyNoVersion(facts)}`;
  return `${names}: alive and ready (${versions})`;
}

/** Why the details endpoint did not tell the version either (e.g. 401 without the key), for the summary. */
function whyNoVersion(facts: GatewayHealthFacts): string {
  const asked = facts.hosts.find((h) => h.versionCheck)?.versionCheck;
  if (!asked) return '';
  const answer = asked.status === undefined ? `failed (${asked.error})` : asked.ok ? 'answered 200 without litellm_version' : `answered HTTP ${asked.status}${asked.reason ? ` "${asked.reason}"` : ''}`;
  const hint = asked.status === 401 || asked.status === 403 ? (facts.keySent ? ': is the key valid?' : `: set ${facts.keyEnvVar ?? 'the gateway key'}`) : '';
  return `; GET ${asked.url} ${answer}${hint}`;
}
