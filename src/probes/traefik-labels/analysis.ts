/**
 * The whole `traefik.labels` check of one label source against the configured hosts, in the
 * order findings are found: the file's own problems, secrets, duplicate keys, which service is
 * LiteLLM's, its container labels, each router, each host, each port. Findings come back by line,
 * with secrets redacted by the caller's redactor (the probe's run's).
 */
import type { Label, LabelSource } from '../../gateway/label-source.ts';
import type { Redactor } from '../../secrets/redactor.ts';
import { chooseComposeService } from './compose-service.ts';
import { checkEnabled, checkHasLabels, checkNetwork } from './container-checks.ts';
import type { HostLike, TraefikLabelsAnalysis, TraefikLabelsFacts } from './facts.ts';
import { checkHost } from './host-checks.ts';
import { LabelFindings } from './label-findings.ts';
import { LiteLLMRouting } from './litellm-routing.ts';
import type { TraefikLabelsCheckOptions, TraefikLabelsGateway, TraefikLabelsOptions } from './options.ts';
import { checkPorts } from './port-checks.ts';
import { checkRouter } from './router-checks.ts';
import { checkSecretLabels } from './secret-labels.ts';

export function analyseTraefikLabels(
  input: LabelSource | Label[],
  hosts: HostLike[],
  parsed: TraefikLabelsOptions,
  redactor: Redactor,
  gateway: TraefikLabelsGateway = {},
): TraefikLabelsAnalysis {
  const options: TraefikLabelsCheckOptions = {
    ...parsed,
    litellmPort: parsed.litellmPort ?? 4000,
    keyEnvVar: gateway.keyEnvVar ?? 'LITELLM_MASTER_KEY',
    mcpPath: gateway.mcpPath ?? '/mcp/',
  };
  const source = Array.isArray(input) ? sourceFromLabels(input) : input;
  const findings = new LabelFindings(source.file);
  const facts: TraefikLabelsFacts = {
    file: source.file,
    format: source.format,
    composeService: undefined,
    litellmPort: options.litellmPort,
    keyEnvVar: options.keyEnvVar,
    enabled: false,
    network: undefined,
    hosts: hosts.map((h) => ({
      host: h.name,
      url: h.url,
      entryPoint: new URL(h.url).protocol === 'https:' ? options.tlsEntryPoint : options.lanEntryPoint,
      routers: [],
      ok: false,
    })),
    services: [],
    findings: [],
  };

  for (const problem of source.problems) {
    if (problem.severity === 'fail') findings.breaks('all', problem.code, problem.message, problem.line);
    else findings.add(problem.severity, problem.code, problem.message, problem.line);
  }
  // Secrets first: they are wrong wherever they are, and their values never leave this function.
  const labels = checkSecretLabels(source.labels, redactor, findings, source.file);
  if (source.usable) checkService(source, hosts, options, facts, findings);

  for (const hostFact of facts.hosts) hostFact.ok = hostFact.routers.length > 0 && !findings.breaksRouteTo(hostFact.host);
  facts.findings = findings.byLine();
  // Redacted here too, not only in the outcome: checkTraefikLabels returns these findings as they are.
  return redactor.redactValue({ findings: facts.findings, facts, labels });
}

/** Everything after the file itself: LiteLLM's service, its container labels, routers, hosts and ports. */
function checkService(source: LabelSource, hosts: HostLike[], options: TraefikLabelsCheckOptions, facts: TraefikLabelsFacts, findings: LabelFindings): void {
  checkDuplicateKeys(source.labels, findings);
  const composeService = chooseComposeService(source, hosts, options, findings);
  if (!composeService) return;
  facts.composeService = composeService;
  const service = new LiteLLMRouting(source, composeService, hosts, options);
  if (!checkHasLabels(service, findings)) return;
  const { routing } = service;
  facts.enabled = routing.enabled;
  facts.network = routing.network;
  facts.services = routing.services.map((s) => ({ name: s.name, port: s.port, line: s.portLine ?? s.line }));

  checkEnabled(service, findings);
  checkNetwork(service, findings);
  for (const router of routing.routers) checkRouter(service, router, findings);
  for (const [index, host] of hosts.entries()) checkHost(service, host, facts.hosts[index]!, findings);
  checkPorts(service, findings);
}

/** Duplicate keys in list-form labels: only one of them takes effect. */
function checkDuplicateKeys(labels: Label[], findings: LabelFindings): void {
  const seen = new Map<string, Label>();
  for (const label of labels) {
    const id = `${label.service}\u0000${label.key}`;
    const first = seen.get(id);
    if (first) {
      findings.warn(
        'label.duplicate',
        `label ${label.key} is set again (first at line ${first.line}); only one of them takes effect, so remove the other`,
        label.line,
      );
    }
    seen.set(id, label);
  }
}

/** A label list without its file around it: services from the labels, no network information. */
function sourceFromLabels(labels: Label[]): LabelSource {
  const services = new Map<string, { name: string; line: number }>();
  for (const label of labels) if (!services.has(label.service)) services.set(label.service, { name: label.service, line: label.line });
  return {
    file: labels[0]?.file ?? '(labels)',
    format: 'labels',
    services: [...services.values()],
    networks: [],
    labels,
    problems: [],
    usable: true,
  };
}
