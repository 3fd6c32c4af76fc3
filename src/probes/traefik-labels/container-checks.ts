/**
 * Checks of the labels that concern LiteLLM's container as a whole: that it has Traefik labels at
 * all, `traefik.enable=true`, and a `traefik.docker.network` the container is really on. Each
 * failure breaks every host: Traefik does not route to the container at all, or cannot reach it.
 */
import type { LabelFindings } from './label-findings.ts';
import type { LiteLLMRouting } from './litellm-routing.ts';

/** False (with a finding) when the service has no Traefik labels, so there is nothing more to check. */
export function checkHasLabels(service: LiteLLMRouting, findings: LabelFindings): boolean {
  if (service.routing.labels.length > 0) return true;
  const { unit, name } = service;
  findings.breaks(
    'all',
    'compose.no-labels',
    `${unit} ${name} has no Traefik labels, so Traefik routes no host to LiteLLM; add labels: ` +
      `traefik.enable=true, traefik.docker.network=<network>, per host a router (rule=Host(\`<host>\`), entrypoints, ` +
      `tls.certresolver for https) and traefik.http.services.${name}.loadbalancer.server.port=${service.options.litellmPort}`,
    service.serviceLine,
  );
  return false;
}

export function checkEnabled({ routing, unit, name, serviceLine }: LiteLLMRouting, findings: LabelFindings): void {
  if (routing.enableLine === undefined) {
    findings.breaks(
      'all',
      'traefik.enable-missing',
      `${unit} ${name} has no traefik.enable=true label; Traefik ignores containers without it when exposedByDefault is false. Add "traefik.enable=true"`,
      serviceLine,
    );
  } else if (!routing.enabled) {
    findings.breaks(
      'all',
      'traefik.enable-false',
      `traefik.enable is "${routing.enableRaw}", so Traefik ignores ${unit} ${name} and none of its routers exist; set traefik.enable=true`,
      routing.enableLine,
    );
  }
}

export function checkNetwork(service: LiteLLMRouting, findings: LabelFindings): void {
  const { source, info, routing, unit, name, options } = service;
  const attached = info?.networks ?? (source.format === 'docker-run' ? ['bridge'] : ['default']);
  const topLevel = (key: string) => source.networks.find((n) => n.key === key);
  // Compose names a network `<project>_<key>` unless it is external or has a `name:`.
  const realName = (key: string) => {
    const network = topLevel(key);
    if (source.format !== 'compose') return key;
    return network?.name ?? (network?.external ? key : `<project>_${key}`);
  };
  const isAttached = (network: string) =>
    source.format === 'labels' ||
    info?.networkMode !== undefined ||
    attached.some((key) => {
      const declared = topLevel(key);
      return network === key || network === declared?.name || (source.format === 'compose' && !declared?.external && !declared?.name && network.endsWith(`_${key}`));
    });
  if (routing.network === undefined) {
    const suggestion = options.network ?? (info?.networks?.length === 1 ? realName(info.networks[0]!) : '<network>');
    findings.breaks(
      'all',
      'network.missing',
      `${unit} ${name} has no traefik.docker.network label, so Traefik picks one of its networks and may not reach it; ` +
        `add "traefik.docker.network=${suggestion}"`,
      service.serviceLine,
    );
    return;
  }
  const line = routing.networkLine!;
  if (options.network && routing.network !== options.network) {
    findings.breaks(
      'all',
      'network.mismatch',
      `traefik.docker.network is "${routing.network}" but Traefik reaches LiteLLM on "${options.network}" ` +
        `(probes."traefik.labels".network); set traefik.docker.network=${options.network}`,
      line,
    );
  }
  if (!isAttached(routing.network)) {
    const joined = info?.networks ? `its networks: ${info.networks.join(', ')}` : `it joins only the ${attached[0]} network`;
    const fix = source.format === 'docker-run' ? `add --network ${routing.network}` : `add ${routing.network} under services.${name}.networks`;
    findings.breaks(
      'all',
      'network.not-attached',
      `traefik.docker.network is "${routing.network}", but ${unit} ${name} is not on that network (${joined}), ` +
        `so Traefik cannot reach it; ${fix} or fix the label`,
      line,
    );
  }
}
