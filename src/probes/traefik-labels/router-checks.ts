/**
 * Checks of each router of LiteLLM's service, whatever host it serves: a rule Traefik accepts,
 * a valid rule syntax and priority, entrypoints named, a service that exists and middlewares that
 * are defined. A router Traefik would reject breaks the hosts it serves.
 */
import type { TraefikRouter } from '../../gateway/traefik-routing.ts';
import { parseRule, ruleMatcherProblems, RuleSyntaxError } from '../../gateway/traefik-rules.ts';
import type { LabelFindings } from './label-findings.ts';
import type { LiteLLMRouting } from './litellm-routing.ts';

export function checkRouter(service: LiteLLMRouting, router: TraefikRouter, findings: LabelFindings): void {
  const served = service.hostsOf(router);
  checkRule(service, router, served, findings);
  const label = routerLabel(router);
  if (router.ruleSyntax !== undefined && router.ruleSyntax !== 'v2' && router.ruleSyntax !== 'v3') {
    findings.breaks(served, 'rule.syntax-version', `${label('rulesyntax')} is "${router.ruleSyntax}"; use v3 or v2`, router.lines.rulesyntax ?? router.line);
  }
  if (router.priorityRaw !== undefined && router.priority === undefined) {
    findings.breaks(
      served,
      'router.priority-invalid',
      `router ${router.name} has priority "${router.priorityRaw}", which is not a whole number; set ${label('priority')}=<number>`,
      router.lines.priority ?? router.line,
    );
  }
  if (router.entryPoints.length === 0 && router.rule !== undefined) {
    findings.info(
      'router.all-entrypoints',
      `router ${router.name} has no entrypoints label, so Traefik attaches it to every default entrypoint; name them with ${label('entrypoints')}`,
      router.line,
    );
  }
  checkServiceReference(service, router, served, findings);
  checkMiddlewares(service, router, findings);
}

/** `traefik.http.routers.<name>.<field>`, for the fixes findings suggest. */
export function routerLabel(router: TraefikRouter): (field: string) => string {
  return (field) => `traefik.http.routers.${router.name}.${field}`;
}

/** The rule is there, parses, and uses only matchers (with argument counts) its syntax knows. */
function checkRule(service: LiteLLMRouting, router: TraefikRouter, served: string[], findings: LabelFindings): void {
  const label = routerLabel(router);
  if (router.rule === undefined) {
    findings.warn(
      'rule.missing',
      `router ${router.name} has no rule, so Traefik gives it a default rule from the container name; add ${label('rule')}=Host(\`<host>\`)`,
      router.line,
    );
    return;
  }
  const ruleLine = router.lines.rule ?? router.line;
  try {
    const tree = parseRule(router.rule);
    const syntax = service.syntaxOf(router);
    const problems = ruleMatcherProblems(tree, syntax);
    if (problems.length) {
      const multiHost = problems.some((p) => /^Host\(\) .* has \d+ values/.test(p));
      const fix = multiHost
        ? `write Host(\`a\`) || Host(\`b\`) or add ${label('rulesyntax')}=v2`
        : `fix the rule (see https://doc.traefik.io/traefik/routing/routers/#rule)`;
      findings.breaks(served, 'rule.matcher', `router ${router.name}'s rule is rejected by Traefik (${syntax} syntax): ${problems.join('; ')}; ${fix}`, ruleLine);
    }
  } catch (error) {
    if (!(error instanceof RuleSyntaxError)) throw error;
    findings.breaks(
      served,
      'rule.syntax',
      `router ${router.name} has a broken rule: ${error.message}; Traefik rejects the router until the parentheses and backticks balance`,
      ruleLine,
    );
  }
}

/** The service the router names exists, or there is exactly one to imply. */
function checkServiceReference(service: LiteLLMRouting, router: TraefikRouter, served: string[], findings: LabelFindings): void {
  const { routing, unit, file } = service;
  const target = service.targetOf(router);
  if (target.kind === 'unknown') {
    const defined = routing.services.map((s) => s.name);
    findings.breaks(
      served,
      'router.unknown-service',
      `router ${router.name} sends its requests to service "${router.service}", but no traefik.http.services.${target.name}.* label in ${file} defines it, ` +
        `so Traefik disables the router; fix the name${defined.length ? ` (defined: ${defined.join(', ')})` : ''} or add ` +
        `traefik.http.services.${target.name}.loadbalancer.server.port=${service.options.litellmPort}`,
      router.lines.service ?? router.line,
    );
  } else if (target.kind === 'ambiguous') {
    findings.breaks(
      served,
      'router.ambiguous-service',
      `router ${router.name} has no service label and ${unit} ${service.name} defines ${routing.services.length} services ` +
        `(${routing.services.map((s) => s.name).join(', ')}), so Traefik cannot pick one and disables the router; add ${routerLabel(router)('service')}=<one of them>`,
      router.line,
    );
  }
}

/** Every Docker-provider middleware the router uses is defined by some label of the file. */
function checkMiddlewares({ routing, others, file }: LiteLLMRouting, router: TraefikRouter, findings: LabelFindings): void {
  const middlewares = [...routing.middlewares, ...others.flatMap((o) => o.middlewares)].map((m) => m.name);
  for (const ref of router.middlewares) {
    const [name, provider] = ref.split('@');
    if (provider && provider !== 'docker') continue;
    if (!middlewares.includes(name!)) {
      findings.warn(
        'router.unknown-middleware',
        `router ${router.name} uses middleware "${ref}", which no label in ${file} defines; unless another container defines it, ` +
          `Traefik disables the router. Define traefik.http.middlewares.${name}.* or name its provider (e.g. ${name}@file)`,
        router.lines.middlewares ?? router.line,
      );
    }
  }
}
