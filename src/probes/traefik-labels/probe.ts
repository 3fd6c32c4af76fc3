/**
 * `traefik.labels` (static): reads the Traefik labels of the compose file (or `docker run`
 * script) that starts LiteLLM and checks, for every configured host, that a router with
 * `Host(…)` sends it to LiteLLM on the right entrypoint, with TLS for https, on LiteLLM's port,
 * with `traefik.enable` and the docker network set. Secrets inside labels are findings too.
 * Every finding names `file:line`.
 */
import path from 'node:path';
import {
  parseRule,
  readLabelSource,
  ruleMatcherProblems,
  ruleMatchesHost,
  ruleNamesHost,
  RuleSyntaxError,
  toRouting,
  type ComposeRouting,
  type Label,
  type LabelSource,
  type RuleNode,
  type TraefikRouter,
  type TraefikService,
} from '../../gateway/compose-labels.ts';
import { REDACTED, Redactor } from '../../secrets/redactor.ts';
import { TraefikLabelsOptionsSchema, type TraefikLabelsOptionsInput } from './options.ts';
import { formatFinding, statusOf, type Finding, type Probe, type ProbeContext, type ProbeOutcome, type TranscriptEntry } from '../types.ts';
import type { TraefikRouterFact, TraefikHostFact, TraefikLabelsFacts } from './facts.ts';
export type { TraefikRouterFact, TraefikHostFact, TraefikLabelsFacts } from './facts.ts';

export interface HostLike {
  name: string;
  url: string;
}

export interface TraefikLabelsAnalysis {
  findings: Finding[];
  facts: TraefikLabelsFacts;
  /** Every label of the file, secret values redacted. */
  labels: Label[];
}

export const traefikLabelsProbe: Probe<TraefikLabelsFacts> = {
  id: 'traefik.labels',
  inputs: (config) => [{ file: config.gateway.composeFile, format: 'compose' }],
  async run(context: ProbeContext): Promise<ProbeOutcome<TraefikLabelsFacts>> {
    context.signal.throwIfAborted();
    const file = context.config.gateway.composeFile;
    const display = displayPath(file, context.config.rootDir);
    const secrets = context.secrets.map((e) => e.value);
    const redactor = new Redactor(secrets);
    const emptyFacts = (findings: Finding[]): TraefikLabelsFacts => ({
      file: display,
      format: 'compose',
      litellmPort: context.config.lab?.litellmPort ?? 4000,
      enabled: false,
      hosts: context.config.hosts.map((h) => ({ host: h.name, url: h.url, entryPoint: '', routers: [], ok: false })),
      services: [],
      findings,
    });

    const parsed = TraefikLabelsOptionsSchema.safeParse((context.config.probes as Record<string, unknown>)['traefik.labels'] ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `probes."traefik.labels"${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`);
      return { status: 'error', summary: `invalid options: ${problems.join('; ')}`, facts: emptyFacts([]), transcript: [] };
    }
    const options = { ...parsed.data, litellmPort: parsed.data.litellmPort ?? context.config.lab?.litellmPort ?? 4000 };

    let source: LabelSource;
    try {
      source = await readLabelSource(file, display, context.signal);
    } catch (error) {
      if (context.signal.aborted) throw context.signal.reason;
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      const finding: Finding = {
        severity: 'fail',
        code: 'compose.unreadable',
        file: display,
        line: 1,
        message: `cannot read the compose file (${code}); check gateway.composeFile`,
      };
      return { status: 'error', summary: formatFinding(finding), facts: emptyFacts([finding]), transcript: [] };
    }
    context.signal.throwIfAborted();

    const analysis = analyseTraefikLabels(source, context.config.hosts, options, secrets);
    const transcript: TranscriptEntry[] = [
      {
        at: new Date().toISOString(),
        kind: 'traefik-labels',
        file: display,
        format: source.format,
        composeService: analysis.facts.composeService,
        labels: analysis.labels.map(({ service, key, value, line }) => ({ service, key, value, line })),
      },
    ];
    return redactDeep(
      { status: statusOf(analysis.findings), summary: summarise(analysis), facts: analysis.facts, transcript, target: [display] },
      redactor,
    );
  },
};

/** The findings for a label source (or a bare list of labels) against the configured hosts. */
export function checkTraefikLabels(
  input: LabelSource | Label[],
  hosts: HostLike[],
  options: TraefikLabelsOptionsInput = {},
  secrets: string[] = [],
): Finding[] {
  return analyseTraefikLabels(input, hosts, options, secrets).findings;
}

// Header names and label fields whose values are credentials.
const SECRET_HEADER = /(^|[-_])(authorization|api[-_]?key|apikey|token|secret|password|passwd|cookie)([-_]|$)|(^|[-_])key$/i;
const SECRET_FIELD = /passw(or)?d|secret|token|api[-_]?key|credential/i;
const INTERPOLATION = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

type SecretKind = 'users' | 'header' | 'field' | 'value';

export function analyseTraefikLabels(
  input: LabelSource | Label[],
  hosts: HostLike[],
  optionsInput: TraefikLabelsOptionsInput = {},
  secrets: string[] = [],
): TraefikLabelsAnalysis {
  const options = TraefikLabelsOptionsSchema.parse(optionsInput);
  const litellmPort = options.litellmPort ?? 4000;
  const source = Array.isArray(input) ? sourceFromLabels(input) : input;
  const file = source.file;
  const unit = source.format === 'docker-run' ? 'container' : 'compose service';
  const redactor = new Redactor(secrets);

  type Tag = 'all' | string[];
  const tagged: { finding: Finding; hosts: Tag }[] = [];
  const add = (severity: Finding['severity'], code: string, line: number, message: string, hostsTag: Tag = []) => {
    tagged.push({ finding: { severity, code, file, line, message }, hosts: hostsTag });
  };

  const facts: TraefikLabelsFacts = {
    file,
    format: source.format,
    composeService: undefined,
    litellmPort,
    enabled: false,
    network: undefined,
    hosts: hosts.map((h) => ({ host: h.name, url: h.url, entryPoint: entryPointFor(h), routers: [], ok: false })),
    services: [],
    findings: [],
  };
  function entryPointFor(host: HostLike): string {
    return new URL(host.url).protocol === 'https:' ? options.tlsEntryPoint : options.lanEntryPoint;
  }
  const finish = (): TraefikLabelsAnalysis => {
    const findings = tagged
      .map((t, i) => ({ ...t, i }))
      .sort((a, b) => (a.finding.line ?? 0) - (b.finding.line ?? 0) || a.i - b.i)
      .map((t) => t.finding);
    for (const hostFact of facts.hosts) {
      const failing = tagged.some(
        (t) => t.finding.severity === 'fail' && (t.hosts === 'all' || t.hosts.includes(hostFact.host)),
      );
      hostFact.ok = hostFact.routers.length > 0 && !failing;
    }
    facts.findings = findings;
    return redactDeep({ findings, facts, labels: redactedLabels }, redactor);
  };

  for (const problem of source.problems) {
    add(problem.severity, problem.code, problem.line, problem.message, problem.severity === 'fail' ? 'all' : []);
  }

  // Secrets first: they are wrong wherever they are, and their values never leave this function.
  const redactedLabels: Label[] = [];
  for (const label of source.labels) {
    const kind = secretKind(label, redactor);
    if (!kind) {
      redactedLabels.push(label);
      continue;
    }
    const interpolatedOnly =
      kind !== 'value' && label.value.includes('$') && label.value.replace(INTERPOLATION, '').replace(/^\s*(bearer|basic)\s*$/i, '').trim() === '';
    redactedLabels.push({ ...label, value: interpolatedOnly ? label.value : kind === 'value' ? redactor.redact(label.value) : REDACTED });
    add('fail', interpolatedOnly ? 'label.secret-interpolated' : 'label.secret', label.line, secretMessage(label, kind, interpolatedOnly, file));
  }
  if (!source.usable) return finish();

  // Duplicate keys in list-form labels: only one of them takes effect.
  const seen = new Map<string, Label>();
  for (const label of source.labels) {
    const id = `${label.service}\u0000${label.key}`;
    const first = seen.get(id);
    if (first) {
      add(
        'warn',
        'label.duplicate',
        label.line,
        `label ${label.key} is set again (first at line ${first.line}); only one of them takes effect, so remove the other`,
      );
    }
    seen.set(id, label);
  }

  // Which compose service is LiteLLM's.
  const traefikLabels = source.labels.filter((l) => l.key.toLowerCase().startsWith('traefik.'));
  const servicesWithLabels = [...new Set(traefikLabels.map((l) => l.service))];
  const composeService = chooseService();
  if (!composeService) return finish();
  facts.composeService = composeService;
  const info = source.services.find((s) => s.name === composeService);
  const serviceLine = info?.labelsLine ?? info?.line ?? 1;
  const routing = toRouting(source.labels, composeService, file);
  if (routing.labels.length === 0) {
    add(
      'fail',
      'compose.no-labels',
      serviceLine,
      `${unit} ${composeService} has no Traefik labels, so Traefik routes no host to LiteLLM; add labels: ` +
        `traefik.enable=true, traefik.docker.network=<network>, per host a router (rule=Host(\`<host>\`), entrypoints, ` +
        `tls.certresolver for https) and traefik.http.services.${composeService}.loadbalancer.server.port=${litellmPort}`,
      'all',
    );
    return finish();
  }
  const others: ComposeRouting[] = servicesWithLabels.filter((s) => s !== composeService).map((s) => toRouting(source.labels, s, file));
  facts.enabled = routing.enabled;
  facts.network = routing.network;
  facts.services = routing.services.map((s) => ({ name: s.name, port: s.port, line: s.portLine ?? s.line }));

  // traefik.enable and the docker network.
  if (routing.enableLine === undefined) {
    add(
      'fail',
      'traefik.enable-missing',
      serviceLine,
      `${unit} ${composeService} has no traefik.enable=true label; Traefik ignores containers without it when exposedByDefault is false. Add "traefik.enable=true"`,
      'all',
    );
  } else if (!routing.enabled) {
    add(
      'fail',
      'traefik.enable-false',
      routing.enableLine,
      `traefik.enable is "${routing.enableRaw}", so Traefik ignores ${unit} ${composeService} and none of its routers exist; set traefik.enable=true`,
      'all',
    );
  }
  checkNetwork();

  // Routers: parse rules, then which hosts each one serves.
  const trees = new Map<TraefikRouter, RuleNode | undefined>();
  const syntaxOf = (router: TraefikRouter): 'v2' | 'v3' => (router.ruleSyntax === 'v2' || router.ruleSyntax === 'v3' ? router.ruleSyntax : options.ruleSyntax);
  for (const router of routing.routers) trees.set(router, tryParse(router.rule));
  const serves = (router: TraefikRouter, hostname: string): boolean => {
    if (router.rule === undefined) return false;
    const tree = trees.has(router) ? trees.get(router) : tryParse(router.rule);
    // A broken rule is still checked for the host it was meant for, so its other problems show too.
    if (!tree) return router.rule.toLowerCase().includes(hostname.toLowerCase());
    return ruleMatchesHost(tree, hostname, syntaxOf(router)) !== false && ruleNamesHost(tree, hostname, syntaxOf(router));
  };
  const hostnameOf = (host: HostLike) => new URL(host.url).hostname.toLowerCase();
  const hostsOf = (router: TraefikRouter) => hosts.filter((h) => serves(router, hostnameOf(h))).map((h) => h.name);

  for (const router of routing.routers) checkRouter(router);

  // Hosts.
  const portUsers = new Map<TraefikService, { routers: Set<string>; hosts: Set<string> }>();
  for (const [index, host] of hosts.entries()) checkHost(host, facts.hosts[index]!);
  for (const [service, users] of portUsers) checkPort(service, users);

  return finish();

  // -------------------------------------------------------------------------------------------

  function chooseService(): string | undefined {
    const firstLine = source.services[0]?.line ?? 1;
    if (options.composeService) {
      if (source.services.some((s) => s.name === options.composeService)) return options.composeService;
      add(
        'fail',
        'compose.service-missing',
        firstLine,
        `${unit} "${options.composeService}" (probes."traefik.labels".composeService) is not in ${file} ` +
          `(it has: ${source.services.map((s) => s.name).join(', ') || 'none'}); fix the option or the file`,
        'all',
      );
      return undefined;
    }
    if (servicesWithLabels.length === 0) {
      const likely = source.services.find((s) => /litellm/i.test(`${s.name} ${s.image ?? ''}`)) ?? source.services[0];
      add(
        'fail',
        'compose.no-labels',
        likely ? (likely.labelsLine ?? likely.line) : 1,
        `no ${unit} in ${file} has Traefik labels, so Traefik routes no host to LiteLLM; add labels to ` +
          `${likely ? `${unit} ${likely.name}` : 'the LiteLLM service'}: traefik.enable=true, traefik.docker.network=<network>, ` +
          `per host a router (rule=Host(\`<host>\`), entrypoints, tls.certresolver for https) and ` +
          `traefik.http.services.<name>.loadbalancer.server.port=${litellmPort}`,
        'all',
      );
      return undefined;
    }
    const enabled = servicesWithLabels.filter((s) => traefikLabels.some((l) => l.service === s && l.key.toLowerCase() === 'traefik.enable'));
    const candidates = enabled.length > 0 ? enabled : servicesWithLabels;
    if (candidates.length === 1) return candidates[0];
    const naming = candidates.filter((s) =>
      toRouting(source.labels, s, file).routers.some((r) => {
        const tree = tryParse(r.rule);
        return tree && hosts.some((h) => ruleNamesHost(tree, new URL(h.url).hostname, options.ruleSyntax));
      }),
    );
    if (naming.length === 1) return naming[0];
    const litellm = (naming.length ? naming : candidates).filter((s) =>
      /litellm/i.test(`${s} ${source.services.find((i) => i.name === s)?.image ?? ''}`),
    );
    if (litellm.length === 1) return litellm[0];
    const lines = candidates.map((s) => `${s} (line ${source.services.find((i) => i.name === s)?.line ?? '?'})`);
    add(
      'fail',
      'compose.ambiguous-service',
      firstLine,
      `several ${unit}s carry Traefik labels (${lines.join(', ')}) and none is clearly LiteLLM's; ` +
        'set probes."traefik.labels".composeService to the one that runs LiteLLM',
      'all',
    );
    return undefined;
  }

  function checkNetwork(): void {
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
      add(
        'fail',
        'network.missing',
        serviceLine,
        `${unit} ${composeService} has no traefik.docker.network label, so Traefik picks one of its networks and may not reach it; ` +
          `add "traefik.docker.network=${suggestion}"`,
        'all',
      );
      return;
    }
    const line = routing.networkLine!;
    if (options.network && routing.network !== options.network) {
      add(
        'fail',
        'network.mismatch',
        line,
        `traefik.docker.network is "${routing.network}" but Traefik reaches LiteLLM on "${options.network}" ` +
          `(probes."traefik.labels".network); set traefik.docker.network=${options.network}`,
        'all',
      );
    }
    if (!isAttached(routing.network)) {
      const joined = info?.networks ? `its networks: ${info.networks.join(', ')}` : `it joins only the ${attached[0]} network`;
      add(
        'fail',
        'network.not-attached',
        line,
        `traefik.docker.network is "${routing.network}", but ${unit} ${composeService} is not on that network (${joined}), ` +
          `so Traefik cannot reach it; ${source.format === 'docker-run' ? `add --network ${routing.network}` : `add ${routing.network} under services.${composeService}.networks`} or fix the label`,
        'all',
      );
    }
  }

  function checkRouter(router: TraefikRouter): void {
    const served = hostsOf(router);
    const label = (field: string) => `traefik.http.routers.${router.name}.${field}`;
    if (router.rule === undefined) {
      add(
        'warn',
        'rule.missing',
        router.line,
        `router ${router.name} has no rule, so Traefik gives it a default rule from the container name; add ${label('rule')}=Host(\`<host>\`)`,
      );
    } else {
      const ruleLine = router.lines.rule ?? router.line;
      try {
        const tree = parseRule(router.rule);
        const syntax = syntaxOf(router);
        const problems = ruleMatcherProblems(tree, syntax);
        if (problems.length) {
          const multiHost = problems.some((p) => /^Host\(\) .* has \d+ values/.test(p));
          const fix = multiHost
            ? `write Host(\`a\`) || Host(\`b\`) or add ${label('rulesyntax')}=v2`
            : `fix the rule (see https://doc.traefik.io/traefik/routing/routers/#rule)`;
          add('fail', 'rule.matcher', ruleLine, `router ${router.name}'s rule is rejected by Traefik (${syntax} syntax): ${problems.join('; ')}; ${fix}`, served);
        }
      } catch (error) {
        if (!(error instanceof RuleSyntaxError)) throw error;
        add(
          'fail',
          'rule.syntax',
          ruleLine,
          `router ${router.name} has a broken rule: ${error.message}; Traefik rejects the router until the parentheses and backticks balance`,
          served,
        );
      }
    }
    if (router.ruleSyntax !== undefined && router.ruleSyntax !== 'v2' && router.ruleSyntax !== 'v3') {
      add('fail', 'rule.syntax-version', router.lines.rulesyntax ?? router.line, `${label('rulesyntax')} is "${router.ruleSyntax}"; use v3 or v2`, served);
    }
    if (router.priorityRaw !== undefined && router.priority === undefined) {
      add(
        'fail',
        'router.priority-invalid',
        router.lines.priority ?? router.line,
        `router ${router.name} has priority "${router.priorityRaw}", which is not a whole number; set ${label('priority')}=<number>`,
        served,
      );
    }
    if (router.entryPoints.length === 0 && router.rule !== undefined) {
      add(
        'info',
        'router.all-entrypoints',
        router.line,
        `router ${router.name} has no entrypoints label, so Traefik attaches it to every default entrypoint; name them with ${label('entrypoints')}`,
      );
    }
    const target = targetOf(router);
    if (target.kind === 'unknown') {
      const defined = routing.services.map((s) => s.name);
      add(
        'fail',
        'router.unknown-service',
        router.lines.service ?? router.line,
        `router ${router.name} sends its requests to service "${router.service}", but no traefik.http.services.${target.name}.* label in ${file} defines it, ` +
          `so Traefik disables the router; fix the name${defined.length ? ` (defined: ${defined.join(', ')})` : ''} or add ` +
          `traefik.http.services.${target.name}.loadbalancer.server.port=${litellmPort}`,
        served,
      );
    } else if (target.kind === 'ambiguous') {
      add(
        'fail',
        'router.ambiguous-service',
        router.line,
        `router ${router.name} has no service label and ${unit} ${composeService} defines ${routing.services.length} services ` +
          `(${routing.services.map((s) => s.name).join(', ')}), so Traefik cannot pick one and disables the router; add ${label('service')}=<one of them>`,
        served,
      );
    }
    const middlewares = [...routing.middlewares, ...others.flatMap((o) => o.middlewares)].map((m) => m.name);
    for (const ref of router.middlewares) {
      const [name, provider] = ref.split('@');
      if (provider && provider !== 'docker') continue;
      if (!middlewares.includes(name!)) {
        add(
          'warn',
          'router.unknown-middleware',
          router.lines.middlewares ?? router.line,
          `router ${router.name} uses middleware "${ref}", which no label in ${file} defines; unless another container defines it, ` +
            `Traefik disables the router. Define traefik.http.middlewares.${name}.* or name its provider (e.g. ${name}@file)`,
        );
      }
    }
  }

  type Target =
    | { kind: 'litellm'; service: TraefikService }
    | { kind: 'implicit' }
    | { kind: 'ambiguous' }
    | { kind: 'other-provider'; ref: string }
    | { kind: 'other-container'; service: TraefikService }
    | { kind: 'unknown'; name: string };

  function targetOf(router: TraefikRouter): Target {
    const ref = router.service;
    if (!ref) return routing.services.length === 0 ? { kind: 'implicit' } : { kind: 'ambiguous' };
    const at = ref.indexOf('@');
    const name = at < 0 ? ref : ref.slice(0, at);
    if (at >= 0 && ref.slice(at + 1) !== 'docker') return { kind: 'other-provider', ref };
    const own = routing.services.find((s) => s.name === name);
    if (own) return { kind: 'litellm', service: own };
    const elsewhere = others.flatMap((o) => o.services).find((s) => s.name === name);
    if (elsewhere) return { kind: 'other-container', service: elsewhere };
    return { kind: 'unknown', name };
  }

  function routerFact(router: TraefikRouter): TraefikRouterFact {
    const target = targetOf(router);
    const service = target.kind === 'litellm' || target.kind === 'other-container' ? target.service : undefined;
    return {
      name: router.name,
      rule: router.rule,
      entryPoints: router.entryPoints,
      tls: router.tls,
      certResolver: router.certResolver,
      service: router.service,
      servicePort: service?.port,
      priority: router.priority,
      middlewares: router.middlewares,
      line: router.line,
    };
  }

  function checkHost(host: HostLike, hostFact: TraefikHostFact): void {
    const url = host.url;
    const hostname = hostnameOf(host);
    const https = new URL(url).protocol === 'https:';
    const entryPoint = hostFact.entryPoint;
    const routers = routing.routers.filter((r) => serves(r, hostname));
    hostFact.routers = routers.map(routerFact);
    const elsewhere = others.flatMap((o) => o.routers.filter((r) => serves(r, hostname)));

    if (routers.length === 0) {
      const rules = routing.routers.filter((r) => r.rule !== undefined).map((r) => `${r.name}: ${r.rule} at line ${r.lines.rule ?? r.line}`);
      const suggestion = `traefik.http.routers.${composeService}-${host.name}`;
      add(
        'fail',
        'host.no-router',
        serviceLine,
        `no router serves ${url}: no rule of ${unit} ${composeService} has Host(\`${hostname}\`)` +
          (rules.length ? ` (rules: ${rules.join('; ')})` : '') +
          `; add ${suggestion}.rule=Host(\`${hostname}\`) with ${suggestion}.entrypoints=${entryPoint}` +
          (https ? ` and ${suggestion}.tls.certresolver=<resolver>` : '') +
          (elsewhere.length
            ? `. Router ${elsewhere.map((r) => `${r.name} of ${unit} ${r.composeService} (line ${r.lines.rule ?? r.line})`).join(', ')} serves it instead`
            : '') +
          (routing.routers.some((r) => r.rule?.includes('$')) ? '. The rules use compose variables, which Proofbook does not expand' : ''),
        [host.name],
      );
      return;
    }

    // Traefik tries routers by priority, which defaults to the length of the rule.
    const onSameEntryPoint = (r: TraefikRouter) => r.entryPoints.length === 0 || r.entryPoints.includes(entryPoint);
    const priorityOf = (r: TraefikRouter) => r.priority ?? r.rule?.length ?? 0;
    const ownPriority = Math.max(...routers.filter(onSameEntryPoint).map(priorityOf));
    for (const router of elsewhere) {
      const tree = tryParse(router.rule);
      const wholeHost = tree !== undefined && ruleMatchesHost(tree, hostname, syntaxOf(router)) === true;
      if (onSameEntryPoint(router) && wholeHost && priorityOf(router) > ownPriority) {
        add(
          'fail',
          'host.shadowed',
          router.lines.rule ?? router.line,
          `router ${router.name} of ${unit} ${router.composeService} takes every request for ${url}: its rule ${router.rule} matches the ` +
            `whole host with priority ${priorityOf(router)}, above LiteLLM's routers (priority ${ownPriority}); remove or narrow that rule, ` +
            `or give LiteLLM's routers a higher priority`,
          [host.name],
        );
        continue;
      }
      add(
        'warn',
        'host.shared',
        router.lines.rule ?? router.line,
        `router ${router.name} of ${unit} ${router.composeService} also serves ${url} (${router.rule}), so Traefik may send these requests there ` +
          `instead of to LiteLLM, depending on priority; remove or narrow that rule`,
      );
    }

    for (const router of routers) {
      const target = targetOf(router);
      if (target.kind === 'litellm') {
        const users = portUsers.get(target.service) ?? { routers: new Set<string>(), hosts: new Set<string>() };
        users.routers.add(router.name);
        users.hosts.add(host.name);
        portUsers.set(target.service, users);
      }
    }

    const onEntryPoint = routers.filter((r) => r.entryPoints.length === 0 || r.entryPoints.includes(entryPoint));
    if (onEntryPoint.length === 0) {
      for (const router of routers) {
        add(
          'fail',
          'host.wrong-entrypoint',
          router.lines.entrypoints ?? router.line,
          `router ${router.name} serves ${url} but listens on ${router.entryPoints.join(', ')}; ${https ? 'https' : 'http'} hosts go through the ` +
            `${https ? 'TLS' : 'LAN'} entrypoint ${entryPoint}: set traefik.http.routers.${router.name}.entrypoints=${entryPoint}`,
          [host.name],
        );
      }
      return;
    }

    for (const router of onEntryPoint) {
      const label = (field: string) => `traefik.http.routers.${router.name}.${field}`;
      if (https && !router.tls) {
        add(
          'fail',
          'host.no-tls',
          router.lines.tls ?? router.line,
          `router ${router.name} serves ${url} but has no TLS; add ${label('tls.certresolver')}=<resolver>`,
          [host.name],
        );
      } else if (https && !router.certResolver) {
        add(
          'warn',
          'host.no-certresolver',
          router.lines.tls ?? router.line,
          `router ${router.name} serves ${url} with tls=true but no certificate resolver, so clients get Traefik's default certificate ` +
            `unless the entrypoint sets one; add ${label('tls.certresolver')}=<resolver>`,
        );
      } else if (!https && router.tls) {
        add(
          'fail',
          'host.tls-on-http',
          router.lines.tls ?? router.lines['tls.certresolver'] ?? router.line,
          `router ${router.name} serves ${url} on ${entryPoint} but has TLS, so it answers only https and plain http requests get 404; ` +
            `remove ${label('tls')}* or use an https URL for this host`,
          [host.name],
        );
      }
    }

    const targets = onEntryPoint.map((r) => ({ router: r, target: targetOf(r) }));
    for (const { router, target } of targets) {
      if (target.kind === 'implicit') {
        add(
          'warn',
          'service.implicit',
          router.line,
          `router ${router.name} names no service and ${unit} ${composeService} defines none, so Traefik creates one on the container's ` +
            `exposed port; add traefik.http.services.${composeService}.loadbalancer.server.port=${litellmPort}`,
        );
      }
    }
    const reaching = targets.filter((t) => t.target.kind === 'litellm' || t.target.kind === 'implicit');
    const broken = targets.filter((t) => t.target.kind === 'unknown' || t.target.kind === 'ambiguous');
    const foreign = targets.filter((t) => t.target.kind === 'other-provider' || t.target.kind === 'other-container');
    const describeTarget = (t: (typeof targets)[number]) =>
      t.target.kind === 'other-container'
        ? `${t.router.name} → ${t.target.service.name} of ${unit} ${t.target.service.composeService}`
        : `${t.router.name} → ${t.router.service}`;
    if (reaching.length === 0 && broken.length === 0) {
      const own = routing.services[0]?.name ?? composeService;
      add(
        'fail',
        'host.not-litellm',
        foreign[0]!.router.lines.service ?? foreign[0]!.router.line,
        `no router for ${url} on ${entryPoint} reaches LiteLLM (${foreign.map(describeTarget).join(', ')}); ` +
          `point one at a service of ${unit} ${composeService}, e.g. traefik.http.routers.${foreign[0]!.router.name}.service=${own}`,
        [host.name],
      );
    } else {
      for (const t of foreign) {
        add(
          t.target.kind === 'other-container' ? 'warn' : 'info',
          'host.partly-elsewhere',
          t.router.lines.service ?? t.router.line,
          `router ${t.router.name} sends the requests for ${url} that match ${t.router.rule} to ${describeTarget(t).split(' → ')[1]}, not to LiteLLM`,
        );
      }
    }
  }

  function checkPort(service: TraefikService, users: { routers: Set<string>; hosts: Set<string> }): void {
    const usedBy = `router${users.routers.size > 1 ? 's' : ''} ${[...users.routers].join(', ')}`;
    const fix = `traefik.http.services.${service.name}.loadbalancer.server.port=${litellmPort}`;
    const hostsTag = [...users.hosts];
    if (service.portRaw === undefined) {
      add(
        'warn',
        'service.port-missing',
        service.line,
        `service ${service.name} (used by ${usedBy}) has no loadbalancer.server.port label, so Traefik guesses from the container's exposed ports; add ${fix}`,
      );
    } else if (service.port === undefined && service.portRaw.includes('$')) {
      add(
        'warn',
        'service.port-unchecked',
        service.portLine!,
        `service ${service.name} forwards ${usedBy} to port ${service.portRaw}, a compose variable Proofbook does not expand; make sure it is ${litellmPort} (litellmPort)`,
      );
    } else if (service.port === undefined) {
      add('fail', 'service.port-invalid', service.portLine!, `service ${service.name} has port "${service.portRaw}", which is not a port number; set ${fix}`, hostsTag);
    } else if (service.port !== litellmPort) {
      add(
        'fail',
        'service.wrong-port',
        service.portLine!,
        `service ${service.name} sends ${usedBy} to port ${service.port}, but LiteLLM listens on port ${litellmPort} (litellmPort); set ${fix}`,
        hostsTag,
      );
    }
  }
}

/**
 * Redacts every string of a JSON-able value one by one. (Redactor.redactValue redacts the JSON
 * text as a whole, where its URL-password pattern can run from an `https://host:port` across
 * quotes and commas to a later `@`, as in `noop@internal`, and break the JSON.)
 */
function redactDeep<T>(value: T, redactor: Redactor): T {
  if (typeof value === 'string') return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactor)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redactor)])) as T;
  }
  return value;
}

function tryParse(rule: string | undefined): RuleNode | undefined {
  if (rule === undefined) return undefined;
  try {
    return parseRule(rule);
  } catch {
    return undefined;
  }
}

/** Which kind of secret a label holds, if any. */
function secretKind(label: Label, redactor: Redactor): SecretKind | undefined {
  const value = label.value.trim();
  if (!value) return undefined;
  const parts = label.key.toLowerCase().split('.');
  const isTraefik = parts[0] === 'traefik';
  const field = isTraefik ? parts.slice(4) : parts;
  const fieldText = field.join('.');
  if (isTraefik && /^(basicauth|digestauth)\.users$/.test(fieldText)) return 'users';
  if (isTraefik && /^headers\.custom(request|response)headers\./.test(fieldText) && SECRET_HEADER.test(field.slice(2).join('.'))) return 'header';
  if (field.some((segment) => SECRET_FIELD.test(segment)) && !/^headers\./.test(fieldText)) return 'field';
  if (redactor.redact(label.value) !== label.value) return 'value';
  return undefined;
}

function secretMessage(label: Label, kind: SecretKind, interpolatedOnly: boolean, file: string): string {
  const advice =
    kind === 'users'
      ? `use ${label.key.replace(/\.users$/i, '.usersfile')}=<mounted file> instead`
      : kind === 'header'
        ? 'do not inject credentials in Traefik: let each client send its own key (LiteLLM checks it)'
        : 'move the value out of the label (a mounted file or the service\'s own secret)';
  if (interpolatedOnly) {
    return (
      `label ${label.key} puts ${label.value.match(INTERPOLATION)!.join(', ')} into a Traefik label: the resolved secret is stored in the ` +
      `container's labels, visible to docker inspect and the Traefik API; ${advice}`
    );
  }
  return (
    `label ${label.key} holds a secret (value redacted): anyone who can read ${file}, docker inspect or the Traefik API sees it; ` +
    `${advice}, and rotate the secret`
  );
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

function displayPath(file: string, rootDir: string | undefined): string {
  if (!rootDir) return file;
  const relative = path.relative(rootDir, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function summarise(analysis: TraefikLabelsAnalysis): string {
  const { findings, facts } = analysis;
  const fails = findings.filter((f) => f.severity === 'fail');
  const warns = findings.filter((f) => f.severity === 'warn');
  const list = (items: Finding[]) =>
    items.slice(0, 3).map(formatFinding).join('; ') + (items.length > 3 ? `; and ${items.length - 3} more` : '');
  if (fails.length) return `${fails.length} problem${fails.length > 1 ? 's' : ''}: ${list(fails)}`;
  const routes = facts.hosts
    .map((h) => {
      const routers = h.routers.filter((r) => r.entryPoints.length === 0 || r.entryPoints.includes(h.entryPoint));
      const tls = routers.find((r) => r.tls);
      return `${h.host} → ${routers.map((r) => r.name).join(', ')} (${h.entryPoint}${tls ? `, TLS${tls.certResolver ? ` via ${tls.certResolver}` : ''}` : ''})`;
    })
    .join(', ');
  const base = `${facts.hosts.length} host${facts.hosts.length === 1 ? '' : 's'} routed to ${facts.composeService} on port ${facts.litellmPort}: ${routes}`;
  return warns.length ? `${base}; ${warns.length} warning${warns.length > 1 ? 's' : ''}: ${list(warns)}` : base;
}
