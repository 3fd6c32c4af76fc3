/**
 * Which compose service (or `docker run` container) is LiteLLM's: the configured one, else the
 * only one with Traefik labels, else the one whose rules name the configured hosts, else the one
 * that looks like LiteLLM. When none is clearly it, a finding says how to name it.
 */
import type { LabelSource } from '../../gateway/label-source.ts';
import { toRouting } from '../../gateway/traefik-routing.ts';
import { ruleNamesHost, tryParseRule } from '../../gateway/traefik-rules.ts';
import type { HostLike } from './facts.ts';
import type { LabelFindings } from './label-findings.ts';
import type { TraefikLabelsCheckOptions } from './options.ts';

/** How findings name a compose service or container. */
export function unitOf(source: LabelSource): 'container' | 'compose service' {
  return source.format === 'docker-run' ? 'container' : 'compose service';
}

/** The compose services that carry `traefik.*` labels, in the order they first do. */
export function servicesWithTraefikLabels(source: LabelSource): string[] {
  return [...new Set(source.labels.filter((l) => l.key.toLowerCase().startsWith('traefik.')).map((l) => l.service))];
}

/** LiteLLM's compose service, or undefined (with a finding that breaks every host). */
export function chooseComposeService(
  source: LabelSource,
  hosts: HostLike[],
  options: TraefikLabelsCheckOptions,
  findings: LabelFindings,
): string | undefined {
  const { file } = source;
  const unit = unitOf(source);
  const firstLine = source.services[0]?.line ?? 1;
  const servicesWithLabels = servicesWithTraefikLabels(source);
  if (options.composeService) {
    if (source.services.some((s) => s.name === options.composeService)) return options.composeService;
    findings.breaks(
      'all',
      'compose.service-missing',
      `${unit} "${options.composeService}" (probes."traefik.labels".composeService) is not in ${file} ` +
        `(it has: ${source.services.map((s) => s.name).join(', ') || 'none'}); fix the option or the file`,
      firstLine,
    );
    return undefined;
  }
  if (servicesWithLabels.length === 0) {
    const likely = source.services.find((s) => /litellm/i.test(`${s.name} ${s.image ?? ''}`)) ?? source.services[0];
    findings.breaks(
      'all',
      'compose.no-labels',
      `no ${unit} in ${file} has Traefik labels, so Traefik routes no host to LiteLLM; add labels to ` +
        `${likely ? `${unit} ${likely.name}` : 'the LiteLLM service'}: traefik.enable=true, traefik.docker.network=<network>, ` +
        `per host a router (rule=Host(\`<host>\`), entrypoints, tls.certresolver for https) and ` +
        `traefik.http.services.<name>.loadbalancer.server.port=${options.litellmPort}`,
      likely ? (likely.labelsLine ?? likely.line) : 1,
    );
    return undefined;
  }
  const enabled = servicesWithLabels.filter((s) => source.labels.some((l) => l.service === s && l.key.toLowerCase() === 'traefik.enable'));
  const candidates = enabled.length > 0 ? enabled : servicesWithLabels;
  if (candidates.length === 1) return candidates[0];
  const naming = candidates.filter((s) =>
    toRouting(source.labels, s, file).routers.some((r) => {
      const tree = tryParseRule(r.rule);
      return tree && hosts.some((h) => ruleNamesHost(tree, new URL(h.url).hostname, options.ruleSyntax));
    }),
  );
  if (naming.length === 1) return naming[0];
  const imageOf = (name: string) => source.services.find((i) => i.name === name)?.image ?? '';
  const litellm = (naming.length ? naming : candidates).filter((s) => /litellm/i.test(`${s} ${imageOf(s)}`));
  if (litellm.length === 1) return litellm[0];
  const lines = candidates.map((s) => `${s} (line ${source.services.find((i) => i.name === s)?.line ?? '?'})`);
  findings.breaks(
    'all',
    'compose.ambiguous-service',
    `several ${unit}s carry Traefik labels (${lines.join(', ')}) and none is clearly LiteLLM's; ` +
      'set probes."traefik.labels".composeService to the one that runs LiteLLM',
    firstLine,
  );
  return undefined;
}
