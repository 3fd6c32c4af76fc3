/**
 * `gateway.health` (live): LiteLLM's own health endpoints, through each host's route.
 *
 * Per host: `GET /health/liveliness` and `GET /health/readiness` (neither needs a key), the
 * LiteLLM version from readiness (`litellm_version`) and its `status` / `db` fields.
 * pass: both answer 200 · warn: readiness is not 200 (or not "healthy") while liveliness is ·
 * fail: liveliness does not answer 200 (the message names the host, the URL and the status).
 *
 * Latencies and response headers go to the transcript only; facts keep statuses, the version
 * and readiness' stable fields so the docs do not move while nothing changes.
 */
import type { Host } from '../../config/schema.ts';
import { bodyReason, caFileInputs, connectionHint, errorText, listText, pickHosts, probeOptions, requestSignal, statusHint } from '../kit/live-http.ts';
import { recordingFetch, type RecordingFetch, recordingLimits } from '../kit/recording-fetch.ts';
import { GatewayHealthOptionsSchema } from './options.ts';
import { formatFinding, statusOf, type Finding, type Probe, type ProbeContext, type ProbeOutcome } from '../types.ts';
import type { HealthCheckFact, ReadinessFact, HealthHostFact, GatewayHealthFacts } from './facts.ts';
export type { HealthCheckFact, ReadinessFact, HealthHostFact, GatewayHealthFacts } from './facts.ts';

export const GATEWAY_HEALTH_ID = 'gateway.health';

export const gatewayHealthProbe: Probe<GatewayHealthFacts> = {
  id: GATEWAY_HEALTH_ID,
  inputs: caFileInputs,
  async run(context: ProbeContext): Promise<ProbeOutcome<GatewayHealthFacts>> {
    const facts: GatewayHealthFacts = { hosts: [], versions: [], findings: [] };
    const parsed = probeOptions(context, GATEWAY_HEALTH_ID, GatewayHealthOptionsSchema);
    if (!parsed.options) return { status: 'error', summary: parsed.problem, facts, transcript: [] };
    const options = parsed.options;
    const { hosts, unknown } = pickHosts(context.config, options.host ? [options.host] : undefined);
    if (unknown.length) {
      const summary = `probes."${GATEWAY_HEALTH_ID}".host names unknown host ${unknown[0]}; configured: ${context.config.hosts.map((h) => h.name).join(', ')}`;
      return { status: 'error', summary, facts, transcript: [] };
    }

    const recorder = recordingFetch(context.http.fetch, recordingLimits(context.config));
    for (const host of hosts) {
      context.signal.throwIfAborted();
      const where = `${host.name} (${host.url})`;
      const findings: Finding[] = [];
      const live = await check(recorder, context, host, options.livelinessPath, options.requestTimeoutMs);
      const ready = await check(recorder, context, host, options.readinessPath, options.requestTimeoutMs);
      const readiness: ReadinessFact = { ...ready.fact };
      const json = ready.json as { status?: unknown; db?: unknown; litellm_version?: unknown } | undefined;
      if (typeof json?.status === 'string') readiness.state = json.status;
      if (typeof json?.db === 'string') readiness.db = json.db;
      const version = typeof json?.litellm_version === 'string' ? json.litellm_version : undefined;

      if (!live.fact.ok) {
        findings.push({ severity: 'fail', code: 'liveliness', message: `${where}: liveliness ${describeFailure(host, live.fact)}` });
      } else if (!readiness.ok) {
        findings.push({
          severity: 'warn',
          code: 'readiness',
          message: `${where}: LiteLLM is alive but readiness ${describeFailure(host, readiness)} (see LiteLLM's log: database, cache or callbacks)`,
        });
      } else if (readiness.state && readiness.state !== 'healthy') {
        findings.push({ severity: 'warn', code: 'readiness.state', message: `${where}: readiness answered 200 but says status "${readiness.state}"` });
      }
      facts.hosts.push({
        host: host.name,
        url: host.url,
        liveliness: live.fact,
        readiness,
        ...(version ? { version } : {}),
        status: statusOf(findings) as HealthHostFact['status'],
      });
      facts.findings.push(...findings);
    }
    await recorder.settle();

    facts.versions = [...new Set(facts.hosts.flatMap((h) => (h.version ? [h.version] : [])))].sort();
    const status = statusOf(facts.findings);
    return { status, summary: summarize(facts, status), facts, transcript: recorder.exchanges, target: hosts.map((h) => h.url) };
  },
};

async function check(
  recorder: RecordingFetch,
  context: ProbeContext,
  host: Host,
  path: string,
  timeoutMs: number,
): Promise<{ fact: HealthCheckFact; json?: unknown }> {
  const url = new URL(path, host.url).toString();
  try {
    const response = await recorder.fetch(url, { signal: requestSignal(context, timeoutMs), redirect: 'manual' });
    const body = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const ok = response.status === 200;
    const reason = ok ? undefined : bodyReason(body, 80);
    return { fact: { url, status: response.status, ok, ...(reason ? { reason } : {}) }, json };
  } catch (error) {
    context.signal.throwIfAborted();
    return { fact: { url, ok: false, error: errorText(error) } };
  }
}

function describeFailure(host: Host, fact: HealthCheckFact): string {
  if (fact.status === undefined) return `GET ${fact.url} failed: ${fact.error} — ${connectionHint(host, fact.error ?? '')}`;
  const hint = statusHint(fact.status, fact.reason ?? '');
  return `GET ${fact.url} answered HTTP ${fact.status}${fact.reason ? ` "${fact.reason}"` : ''}${hint ? ` — ${hint}` : ''}`;
}

function summarize(facts: GatewayHealthFacts, status: ReturnType<typeof statusOf>): string {
  if (status !== 'pass') {
    const ordered = [...facts.findings.filter((f) => f.severity === 'fail'), ...facts.findings.filter((f) => f.severity === 'warn')];
    return ordered.map(formatFinding).join('; ');
  }
  const names = listText(facts.hosts.map((h) => h.host));
  const versions = facts.versions.length === 1
    ? `LiteLLM ${facts.versions[0]}`
    : facts.versions.length
      ? facts.hosts.map((h) => `${h.host}: LiteLLM ${h.version ?? 'version unknown'}`).join(', ')
      : 'LiteLLM version not reported';
  return `${names}: alive and ready (${versions})`;
}
