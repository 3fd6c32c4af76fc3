/**
 * Checks of each Traefik service that LiteLLM's routers use for the configured hosts: it forwards
 * to the port LiteLLM listens on. A wrong or invalid port breaks the hosts whose routers use it.
 */
import type { TraefikService } from '../../gateway/traefik-routing.ts';
import type { LabelFindings } from './label-findings.ts';
import { hostnameOf, type LiteLLMRouting } from './litellm-routing.ts';

interface PortUsers {
  routers: Set<string>;
  hosts: Set<string>;
}

export function checkPorts(service: LiteLLMRouting, findings: LabelFindings): void {
  for (const [traefikService, users] of portUsers(service)) checkPort(traefikService, users, service.options.litellmPort, findings);
}

/** LiteLLM's services that routers serving a configured host send to, with those routers and hosts. */
function portUsers(service: LiteLLMRouting): Map<TraefikService, PortUsers> {
  const users = new Map<TraefikService, PortUsers>();
  for (const host of service.hosts) {
    for (const router of service.routing.routers.filter((r) => service.serves(r, hostnameOf(host)))) {
      const target = service.targetOf(router);
      if (target.kind !== 'litellm') continue;
      const entry = users.get(target.service) ?? { routers: new Set<string>(), hosts: new Set<string>() };
      entry.routers.add(router.name);
      entry.hosts.add(host.name);
      users.set(target.service, entry);
    }
  }
  return users;
}

function checkPort(service: TraefikService, users: PortUsers, litellmPort: number, findings: LabelFindings): void {
  const usedBy = `router${users.routers.size > 1 ? 's' : ''} ${[...users.routers].join(', ')}`;
  const fix = `traefik.http.services.${service.name}.loadbalancer.server.port=${litellmPort}`;
  const hosts = [...users.hosts];
  if (service.portRaw === undefined) {
    findings.warn(
      'service.port-missing',
      `service ${service.name} (used by ${usedBy}) has no loadbalancer.server.port label, so Traefik guesses from the container's exposed ports; add ${fix}`,
      service.line,
    );
  } else if (service.port === undefined && service.portRaw.includes('$')) {
    findings.warn(
      'service.port-unchecked',
      `service ${service.name} forwards ${usedBy} to port ${service.portRaw}, a compose variable Proofbook does not expand; make sure it is ${litellmPort} (litellmPort)`,
      service.portLine!,
    );
  } else if (service.port === undefined) {
    findings.breaks(hosts, 'service.port-invalid', `service ${service.name} has port "${service.portRaw}", which is not a port number; set ${fix}`, service.portLine!);
  } else if (service.port !== litellmPort) {
    findings.breaks(
      hosts,
      'service.wrong-port',
      `service ${service.name} sends ${usedBy} to port ${service.port}, but LiteLLM listens on port ${litellmPort} (litellmPort); set ${fix}`,
      service.portLine!,
    );
  }
}
