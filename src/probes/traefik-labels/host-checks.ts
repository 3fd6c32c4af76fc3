/**
 * Checks per configured host: some router of LiteLLM's serves it, no other service's router
 * takes its requests, and the routers on its entrypoint reach LiteLLM. Entrypoint and TLS are
 * checked in ./entrypoint-checks.ts, routers gated on a header in ./header-gates.ts.
 */
import type { TraefikRouter } from '../../gateway/traefik-routing.ts';
import { ruleMatchesHost, tryParseRule } from '../../gateway/traefik-rules.ts';
import { checkEntryPoints, checkTls, onEntryPoint } from './entrypoint-checks.ts';
import type { HostLike, TraefikHostFact } from './facts.ts';
import { checkHeaderGates } from './header-gates.ts';
import type { LabelFindings } from './label-findings.ts';
import type { HostRoute, LiteLLMRouting, Target } from './litellm-routing.ts';

export function checkHost(service: LiteLLMRouting, host: HostLike, hostFact: TraefikHostFact, findings: LabelFindings): void {
  const route = service.routeTo(host, hostFact.entryPoint);
  hostFact.routers = route.routers.map((router) => service.routerFact(router));
  const elsewhere = service.elsewhere(route.hostname);
  if (route.routers.length === 0) {
    reportNoRouter(service, route, elsewhere, findings);
    return;
  }
  checkCompetingRouters(service, route, elsewhere, findings);
  const routers = checkEntryPoints(route, findings);
  if (routers.length === 0) return;
  checkTls(route, routers, findings);
  checkHeaderGates(service, route, routers, findings);
  checkTargets(service, route, routers, findings);
}

function reportNoRouter({ routing, unit, name, serviceLine }: LiteLLMRouting, route: HostRoute, elsewhere: TraefikRouter[], findings: LabelFindings): void {
  const { host, url, hostname, https, entryPoint } = route;
  const rules = routing.routers.filter((r) => r.rule !== undefined).map((r) => `${r.name}: ${r.rule} at line ${r.lines.rule ?? r.line}`);
  const suggestion = `traefik.http.routers.${name}-${host.name}`;
  findings.breaks(
    [host.name],
    'host.no-router',
    `no router serves ${url}: no rule of ${unit} ${name} has Host(\`${hostname}\`)` +
      (rules.length ? ` (rules: ${rules.join('; ')})` : '') +
      `; add ${suggestion}.rule=Host(\`${hostname}\`) with ${suggestion}.entrypoints=${entryPoint}` +
      (https ? ` and ${suggestion}.tls.certresolver=<resolver>` : '') +
      (elsewhere.length
        ? `. Router ${elsewhere.map((r) => `${r.name} of ${unit} ${r.composeService} (line ${r.lines.rule ?? r.line})`).join(', ')} serves it instead`
        : '') +
      (routing.routers.some((r) => r.rule?.includes('$')) ? '. The rules use compose variables, which Proofbook does not expand' : ''),
    serviceLine,
  );
}

/** Another service's router that serves the host: it takes every request when it matches the whole host with a higher priority. */
function checkCompetingRouters(service: LiteLLMRouting, route: HostRoute, elsewhere: TraefikRouter[], findings: LabelFindings): void {
  const { host, url, hostname, entryPoint } = route;
  const { unit } = service;
  // Traefik tries routers by priority, which defaults to the length of the rule.
  const priorityOf = (r: TraefikRouter) => r.priority ?? r.rule?.length ?? 0;
  const ownPriority = Math.max(...route.routers.filter((r) => onEntryPoint(r, entryPoint)).map(priorityOf));
  for (const router of elsewhere) {
    const tree = tryParseRule(router.rule);
    const wholeHost = tree !== undefined && ruleMatchesHost(tree, hostname, service.syntaxOf(router)) === true;
    if (onEntryPoint(router, entryPoint) && wholeHost && priorityOf(router) > ownPriority) {
      findings.breaks(
        [host.name],
        'host.shadowed',
        `router ${router.name} of ${unit} ${router.composeService} takes every request for ${url}: its rule ${router.rule} matches the ` +
          `whole host with priority ${priorityOf(router)}, above LiteLLM's routers (priority ${ownPriority}); remove or narrow that rule, ` +
          `or give LiteLLM's routers a higher priority`,
        router.lines.rule ?? router.line,
      );
      continue;
    }
    findings.warn(
      'host.shared',
      `router ${router.name} of ${unit} ${router.composeService} also serves ${url} (${router.rule}), so Traefik may send these requests there ` +
        `instead of to LiteLLM, depending on priority; remove or narrow that rule`,
      router.lines.rule ?? router.line,
    );
  }
}

/** Some router on the host's entrypoint reaches LiteLLM; those that send elsewhere are named. */
function checkTargets(service: LiteLLMRouting, route: HostRoute, routers: TraefikRouter[], findings: LabelFindings): void {
  const { host, url, entryPoint } = route;
  const { routing, unit, name } = service;
  const targets = routers.map((router) => ({ router, target: service.targetOf(router) }));
  for (const { router, target } of targets) {
    if (target.kind === 'implicit') {
      findings.warn(
        'service.implicit',
        `router ${router.name} names no service and ${unit} ${name} defines none, so Traefik creates one on the container's ` +
          `exposed port; add traefik.http.services.${name}.loadbalancer.server.port=${service.options.litellmPort}`,
        router.line,
      );
    }
  }
  const reaching = targets.filter((t) => t.target.kind === 'litellm' || t.target.kind === 'implicit');
  const broken = targets.filter((t) => t.target.kind === 'unknown' || t.target.kind === 'ambiguous');
  const foreign = targets.filter((t) => t.target.kind === 'other-provider' || t.target.kind === 'other-container');
  const describeTarget = (t: { router: TraefikRouter; target: Target }) =>
    t.target.kind === 'other-container'
      ? `${t.router.name} → ${t.target.service.name} of ${unit} ${t.target.service.composeService}`
      : `${t.router.name} → ${t.router.service}`;
  if (reaching.length === 0 && broken.length === 0) {
    const own = routing.services[0]?.name ?? name;
    const first = foreign[0]!.router;
    findings.breaks(
      [host.name],
      'host.not-litellm',
      `no router for ${url} on ${entryPoint} reaches LiteLLM (${foreign.map(describeTarget).join(', ')}); ` +
        `point one at a service of ${unit} ${name}, e.g. traefik.http.routers.${first.name}.service=${own}`,
      first.lines.service ?? first.line,
    );
    return;
  }
  for (const t of foreign) {
    findings.add(
      t.target.kind === 'other-container' ? 'warn' : 'info',
      'host.partly-elsewhere',
      `router ${t.router.name} sends the requests for ${url} that match ${t.router.rule} to ${describeTarget(t).split(' → ')[1]}, not to LiteLLM`,
      t.router.lines.service ?? t.router.line,
    );
  }
}
