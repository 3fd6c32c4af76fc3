/**
 * `proofbook init`, step 4: the text of a starter `proofbook.config.yaml` (with comments),
 * or the bindings to add to an existing one.
 *
 * Gateway paths come from what `detect` found (LiteLLM's config.yaml, the compose file with
 * Traefik labels, `.env` files and their examples, the compose service's `env_file`s); hosts
 * from the compose file's `Host()` rules. What was not found is left empty with a `TODO`
 * comment: the config then fails validation with the field's own description, so the error
 * says what to fill in.
 *
 * Pure text in, text out: init.ts decides whether and where to write.
 */
import path from 'node:path';
import { isMap, isSeq, parse as parseYaml, parseDocument, stringify } from 'yaml';
import { hostsInRule } from '../gateway/traefik-rules.ts';
import type { BoundItem, UnboundItem } from './bind-items.ts';
import type { GatewayFiles } from './detect.ts';

export interface StarterInput {
  runbooks: string[];
  evaluationDir: string;
  gateway: GatewayFiles;
  /** `env_file` entries of the compose service, relative to the workspace root. */
  envFiles?: string[];
  bound: BoundItem[];
  decisions: UnboundItem[];
}

/**
 * A YAML scalar on one line, quoted only when YAML needs it. Never folded (`lineWidth: 0`: a
 * folded double-quoted `match` continues at column 0 and the config no longer loads); a value
 * YAML would write as a block scalar (a line break) or that holds characters YAML does not allow
 * raw is written double-quoted with escapes.
 */
export function scalar(value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (NOT_PRINTABLE.test(value)) return doubleQuoted(value);
  const plain = stringify(value, { lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
  return plain.includes('\n') ? doubleQuoted(value) : plain;
}

/**
 * Characters YAML does not allow raw (outside c-printable; a lone surrogate, by the `u` flag) and
 * those the parser reads as line breaks (`\n`, `\r`, NEL, U+2028/2029).
 */
const NOT_PRINTABLE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029\uD800-\uDFFF\uFFFE\uFFFF]/u;

/** A double-quoted YAML scalar: `\\`, `"` and every character outside c-printable escaped. */
function doubleQuoted(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    const code = value.charCodeAt(i);
    const pairs = code >= 0xd800 && code <= 0xdbff && i + 1 < value.length && /[\uDC00-\uDFFF]/.test(value[i + 1]!);
    if (pairs) {
      out += char + value[++i];
      continue;
    }
    if (char === '\\' || char === '"') out += `\\${char}`;
    else if (char === '\t') out += '\\t';
    else if (NOT_PRINTABLE.test(char)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `"${out}"`;
}

/** Text for a `#` comment: on one line, without characters YAML refuses raw. */
const comment = (text: string) => text.replace(new RegExp(NOT_PRINTABLE.source, 'gu'), ' ');

const flow = (values: string[]) => `[${values.map(scalar).join(', ')}]`;

/** `lan` for private hostnames, `external` for the rest; numbered when there are several. */
export function hostsFromRouting(gateway: GatewayFiles): { name: string; url: string; router: string; entryPoint?: string }[] {
  const routing = gateway.composeFiles[0]?.routing;
  const hosts: { name: string; url: string; router: string; entryPoint?: string }[] = [];
  for (const router of routing?.routers ?? []) {
    const https = router.tls || router.entryPoints.some((e) => /secure|https|443/i.test(e));
    for (const hostname of router.rule ? hostsInRule(router.rule) : []) {
      const url = `${https ? 'https' : 'http'}://${hostname}`;
      if (hosts.some((h) => h.url === url)) continue;
      const base = /(\.lan|\.local|\.internal|\.home|\.localdomain|\.intranet)$/i.test(hostname) || !hostname.includes('.') ? 'lan' : 'external';
      const count = hosts.filter((h) => h.name === base || h.name.startsWith(`${base}-`)).length;
      hosts.push({ name: count ? `${base}-${count + 1}` : base, url, router: router.name, entryPoint: router.entryPoints[0] });
    }
  }
  return hosts;
}

/**
 * `env_file` entries of the compose service that carries the Traefik labels: relative ones from
 * the compose file's folder, relative to `root` (`../secrets/x.env` when outside it); absolute ones
 * (`/home/ops/secrets/litellm.env`) as written.
 */
export function composeEnvFiles(composeText: string, composeRel: string, service: string | undefined): string[] {
  let data: unknown;
  try {
    data = parseYaml(composeText);
  } catch {
    return [];
  }
  const services = (data as { services?: Record<string, { env_file?: unknown }> } | null)?.services;
  const entry = service ? services?.[service]?.env_file : undefined;
  const list = typeof entry === 'string' ? [entry] : Array.isArray(entry) ? entry : [];
  return list
    .map((item) => (typeof item === 'string' ? item : typeof item === 'object' && item && 'path' in item ? String(item.path) : ''))
    .filter(Boolean)
    .map((file) => (path.posix.isAbsolute(file) ? path.posix.normalize(file) : path.posix.normalize(path.posix.join(path.posix.dirname(composeRel), file))));
}

function bindingLines(bound: BoundItem[], indent: string): string[] {
  return bound.flatMap((item) => [
    `${indent}# ${comment(`${item.file}:${item.line} — ${item.why}`)}`,
    `${indent}- match: ${scalar(item.match)}`,
    `${indent}  file: ${scalar(item.file)}`,
    `${indent}  probes: ${flow(item.probes)}`,
  ]);
}

function decisionLines(decisions: UnboundItem[], indent: string): string[] {
  return decisions.flatMap((item) => [
    `${indent}# - match: ${scalar(item.match ?? item.text.slice(0, 60).trim())}   # ${comment(`${item.file}:${item.line}`)}`,
    `${indent}#   state: pending          # pending | approved | done | rejected`,
    `${indent}#   owner: ""`,
    `${indent}#   note: ""`,
  ]);
}

export function starterConfig(input: StarterInput): { text: string; todo: string[] } {
  const { gateway } = input;
  const todo: string[] = [];
  const lines: string[] = [
    '# Proofbook workspace config, written by `proofbook init`. Review it, then run `npm run refresh-docs`.',
    '# Every field is described in README.md ("Configuration"); an invalid field is reported with its',
    '# line, its name and what it is for.',
    '',
    '# Folders of Markdown runbooks: their generated regions and bound plan items are rewritten in place.',
    'runbooks:',
    ...input.runbooks.map((dir) => `  - ${scalar(dir)}`),
    '# Where each probe run writes its dated, redacted evidence.',
    `evaluationDir: ${scalar(input.evaluationDir)}`,
    '',
    'gateway:',
  ];

  const litellm = gateway.litellmConfigs[0];
  if (litellm) {
    lines.push(`  configFile: ${scalar(litellm.rel)}${litellm.servers.length ? `   # registers ${litellm.servers.join(', ')}` : ''}`);
  } else {
    todo.push('gateway.configFile');
    lines.push("  # TODO: no LiteLLM config (a YAML file with `mcp_servers`) was found here; give the path of LiteLLM's config.yaml.", '  configFile:');
  }
  const compose = gateway.composeFiles[0];
  if (compose?.routing?.routers.length) {
    lines.push(`  composeFile: ${scalar(compose.rel)}   # Traefik routers ${compose.routing.routers.map((r) => r.name).join(', ')}`);
  } else {
    todo.push('gateway.composeFile');
    lines.push('  # TODO: no docker-compose file with Traefik router labels was found here; give the path of the one that routes to LiteLLM.', '  composeFile:');
  }
  if (litellm?.keyEnvVar) lines.push(`  keyEnvVar: ${scalar(litellm.keyEnvVar)}   # general_settings.master_key in config.yaml`);
  else lines.push('  keyEnvVar: LITELLM_MASTER_KEY   # the environment first, then secretsFiles');
  lines.push('  mcp:   # the MCP endpoint (path, default /mcp/) and the servers the probes expect');
  if (litellm?.servers.length) lines.push(`    servers: ${flow(litellm.servers)}`);
  else {
    todo.push('gateway.mcp.servers');
    lines.push('    # TODO: the MCP server names registered under mcp_servers in LiteLLM\'s config.yaml.', '    servers: []');
  }

  // Secrets: the compose service's env_files, the .env files here, and the real file of each example.
  const fromExamples = gateway.examples.map((e) => e.replace(/\.example$/i, ''));
  const secrets = [...new Set([...(input.envFiles ?? []), ...gateway.secretsFiles, ...fromExamples])].sort();
  lines.push('', '# .env files with secrets: every value in them is redacted from evidence, docs, the site and the console.');
  if (secrets.length) {
    lines.push('secretsFiles:');
    for (const file of secrets) {
      const present = gateway.secretsFiles.includes(file);
      const outside = path.posix.isAbsolute(file) || file.startsWith('../');
      const note = present ? '' : outside ? '   # outside this folder: must exist there where refresh-docs runs' : '   # not in this folder (git-ignored?): must exist where refresh-docs runs';
      lines.push(`  - ${scalar(file)}${note}`);
    }
  } else lines.push('secretsFiles: []   # e.g. secrets/litellm.env');

  const hosts = hostsFromRouting(gateway);
  lines.push('', "# The hostnames the gateway is served on (from the compose file's Host() rules).", 'hosts:');
  if (hosts.length) {
    for (const host of hosts) {
      lines.push(`  - name: ${scalar(host.name)}   # router ${host.router}`, `    url: ${scalar(host.url)}`);
      lines.push('    # resolveTo: 192.0.2.10   # connect to this address instead of asking DNS (like curl --resolve)');
      if (host.url.startsWith('https:')) lines.push('    # caFile: certs/ca.pem     # an extra CA to trust for this host');
    }
  } else {
    todo.push('hosts');
    lines.push('  # TODO: no Traefik Host() rule was found; give each hostname the gateway is served on.', '  - name: lan', '    url:');
  }

  lines.push('', 'probes:');
  const http = hosts.find((h) => h.url.startsWith('http:'));
  const https = hosts.find((h) => h.url.startsWith('https:'));
  const labelOptions: string[] = [];
  if (compose?.port && compose.port !== 4000) labelOptions.push(`    litellmPort: ${compose.port}   # loadbalancer.server.port`);
  if (http?.entryPoint && http.entryPoint !== 'web') labelOptions.push(`    lanEntryPoint: ${scalar(http.entryPoint)}`);
  if (https?.entryPoint && https.entryPoint !== 'websecure') labelOptions.push(`    tlsEntryPoint: ${scalar(https.entryPoint)}`);
  lines.push(labelOptions.length ? '  traefik.labels:' : '  traefik.labels: {}', ...labelOptions);
  lines.push('  mcp.catalog:', `    host: ${scalar(http?.name ?? hosts[0]?.name ?? 'lan')}`);
  lines.push(
    '    # expectedTools:          # tools that must be listed, per server, without the `<server>-` prefix',
    `    #   ${litellm?.servers[0] ?? 'mcp_postgres'}: [query]`,
  );
  if (gateway.examples.length) {
    const dirs = [...new Set(gateway.examples.map((e) => path.posix.dirname(e)))];
    lines.push('  secrets.audit:', `    examples: ${flow(dirs)}   # the committed .env.example files the real ones must match`);
  }

  lines.push('', 'plan:');
  if (input.bound.length) {
    // Appended one by one: tens of thousands of lines as spread arguments overflow the call stack.
    lines.push('  # Plan items bound to probes by their text (found by `proofbook init`: check them).', '  bindings:');
    for (const line of bindingLines(input.bound, '    ')) lines.push(line);
  } else lines.push('  bindings: []');
  lines.push('  decisions: []');
  if (input.decisions.length) {
    lines.push('  # Decision items Proofbook can keep up to date from here instead of a probe (uncomment to use):');
    for (const line of decisionLines(input.decisions, '  ')) lines.push(line);
  }
  return { text: `${lines.join('\n')}\n`, todo };
}

/**
 * Adds bindings to an existing config's `plan.bindings`, touching nothing else. Returns
 * undefined when the config's shape does not allow a plain insertion (e.g. a non-empty flow list).
 */
export function addBindings(text: string, bound: BoundItem[]): string | undefined {
  if (!bound.length) return text;
  const document = parseDocument(text);
  if (document.errors.length) return undefined;
  const plan = document.get('plan', true);
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const join = (lines: string[]) => lines.map((l) => `${l}${eol}`).join('');
  if (plan === undefined || plan === null) {
    const sep = text.length && !text.endsWith('\n') ? eol : '';
    return `${text}${sep}${join(['', 'plan:', '  bindings:'].concat(bindingLines(bound, '    ')))}`;
  }
  if (!isMap(plan) || plan.flow || !plan.range) return undefined;
  const column = (offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  const firstKey = plan.items[0]?.key as { range?: [number, number, number] } | undefined;
  if (!firstKey?.range) return undefined;
  const indent = ' '.repeat(column(firstKey.range[0]));
  const bindings = plan.get('bindings', true);
  if (bindings === undefined || bindings === null) {
    // A `bindings:` block before the plan's first key, at its indentation.
    const at = firstKey.range[0];
    return text.slice(0, at) + `bindings:${eol}` + join(bindingLines(bound, `${indent}  `)) + indent + text.slice(at);
  }
  if (!isSeq(bindings) || !bindings.range) return undefined;
  if (bindings.flow) {
    if (bindings.items.length) return undefined;
    // `bindings: []` becomes a block list.
    const [start, end] = bindings.range;
    return text.slice(0, start).trimEnd() + eol + join(bindingLines(bound, `${indent}  `)).replace(new RegExp(`${eol}$`), '') + text.slice(end);
  }
  const itemIndent = ' '.repeat(column(bindings.range[0]));
  const at = bindings.range[1];
  const before = text.slice(0, at);
  return `${before}${before.endsWith('\n') ? '' : eol}${join(bindingLines(bound, itemIndent))}${text.slice(at)}`;
}
