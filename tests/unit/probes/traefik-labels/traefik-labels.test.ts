/**
 * `traefik.labels`: fixture tests, one folder per behaviour (unified-collective style) under
 * tests/fixtures/traefik-labels/<case>/: the input (`docker-compose.yml` or `docker-run.sh`),
 * an optional `config.json` ({hosts?, options?, secrets?}) and `expected.json` ({status, findings}).
 * Run with UPDATE_FIXTURES=1 to write missing `expected.json` files, then review them.
 *
 * Plus: the repo's own lab passes, its broken variants fail with file:line, and the parsers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../../../src/probes/config.ts';
import { parseDockerRunScript } from '../../../../src/gateway/docker-run-script.ts';
import type { Label } from '../../../../src/gateway/label-source.ts';
import { parseLabelSource, readComposeLabels } from '../../../../src/gateway/read-labels.ts';
import { toRouting } from '../../../../src/gateway/traefik-routing.ts';
import { hostsInRule, parseRule, ruleMatchesHost, RuleSyntaxError } from '../../../../src/gateway/traefik-rules.ts';
import {
  checkTraefikLabels,
  traefikLabelsProbe,
  type HostLike,
  type TraefikLabelsFacts,
} from '../../../../src/probes/traefik-labels/probe.ts';
import { TraefikLabelsOptionsSchema } from '../../../../src/probes/traefik-labels/options.ts';
import type { Finding, ProbeOutcome } from '../../../../src/probes/types.ts';
import { probeDefinition, runProbeCases } from '../../../helpers/probe-cases.ts';
import { Redactor } from '../../../../src/secrets/redactor.ts';
import { runProbe, type ProbeContextParts } from '../../../helpers/probe-context.ts';
import { regionMarkdown } from '../../../helpers/region-markdown.ts';
import { renderRouting } from '../../../../src/probes/traefik-labels/render.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..', '..');
const root = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'traefik-labels');
const INPUTS = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'docker-run.sh'];

const DEFAULT_HOSTS: HostLike[] = [
  { name: 'lan', url: 'http://litellm.linuxserver.lan' },
  { name: 'external', url: 'https://litellm.ai-servicers.com' },
];

interface CaseConfig {
  hosts?: HostLike[];
  options?: Record<string, unknown>;
  secrets?: string[];
}

/** A case's secret values as the env entries a secrets file would give. */
const secretEntries = (values: string[] = []) => values.map((value, i) => ({ key: `SECRET_${i}`, value, file: 'test.env', line: i + 1 }));

/** The smallest context the probe needs: the config fields it reads and the secrets. */
function fakeContext(opts: { rootDir: string; composeFile: string; hosts: HostLike[]; options?: unknown; secrets?: string[]; signal?: AbortSignal }): ProbeContextParts {
  const config = {
    rootDir: opts.rootDir,
    gateway: { composeFile: opts.composeFile },
    hosts: opts.hosts,
    probes: opts.options === undefined ? {} : { 'traefik.labels': opts.options },
    lab: { litellmPort: 4000 },
  };
  return {
    config: config as unknown as Config,
    secrets: secretEntries(opts.secrets),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}

/** The case's input file: the one of INPUTS its folder holds. */
const inputOf = (dir: string) => INPUTS.find((f) => existsSync(path.join(dir, f)));

describe('traefik.labels fixtures', () => {
  runProbeCases<CaseConfig, TraefikLabelsFacts>(probeDefinition('traefik.labels'), root, {
    specFile: 'config.json',
    config: ({ dir, spec }) => {
      const input = inputOf(dir);
      expect(input, `${path.basename(dir)} needs one of ${INPUTS.join(', ')}`).toBeDefined();
      return fakeContext({ rootDir: dir, composeFile: path.join(dir, input!), hosts: spec.hosts ?? DEFAULT_HOSTS, options: spec.options }).config;
    },
    secrets: (_config, { spec }) => secretEntries(spec.secrets),
    check: ({ dir, spec, outcome }) => {
      const input = inputOf(dir)!;
      const hosts = spec.hosts ?? DEFAULT_HOSTS;
      const secrets = spec.secrets ?? [];
      // Every finding points at file:line, and the summary leads with them when it fails.
      for (const finding of outcome.facts.findings) {
        expect(finding.file).toBe(input);
        expect(finding.line).toBeGreaterThanOrEqual(1);
      }
      if (outcome.status === 'fail') expect(outcome.summary).toContain(`${input}:`);

      // The pure function gives the same findings as the probe.
      const text = readFileSync(path.join(dir, input), 'utf8');
      const options = { ...(spec.options ?? {}), litellmPort: (spec.options?.litellmPort as number | undefined) ?? 4000 };
      expect(checkTraefikLabels(parseLabelSource(text, input), hosts, TraefikLabelsOptionsSchema.parse(options), new Redactor(secrets))).toEqual(outcome.facts.findings);

      // Secret label values appear nowhere in what the probe returns.
      const output = JSON.stringify(outcome);
      for (const secret of secrets) expect(output).not.toContain(secret);
      const source = parseLabelSource(text, input);
      for (const finding of outcome.facts.findings.filter((f) => f.code === 'label.secret')) {
        const label = source.labels.find((l) => l.line === finding.line)!;
        expect(output).not.toContain(label.value);
      }
    },
  });
});

describe('the fixtures cover the issue', () => {
  const expected = (name: string) =>
    JSON.parse(readFileSync(path.join(root, name, 'expected.json'), 'utf8')) as { status: string; findings: Finding[] };
  const codes = (name: string) => expected(name).findings.map((f) => f.code);

  it('catches a rule for only one host, a wrong port and missing TLS', () => {
    expect(codes('only-one-host')).toContain('host.no-router');
    expect(codes('wrong-port')).toContain('service.wrong-port');
    expect(codes('missing-tls')).toContain('host.no-tls');
  });

  it('reads several routers per host, combined matchers, several Host names, map form and anchors as passing', () => {
    for (const name of ['pass-lab-shaped', 'several-routers-per-host', 'header-gated-routers', 'host-or-several-names', 'host-several-names-v2', 'map-form-labels', 'yaml-anchors', 'several-traefik-services', 'docker-run-labels']) {
      expect(expected(name).status, name).toBe('pass');
    }
  });

  it('reads routers gated on the key header as serving their host, and warns when the gate refuses what clients send', () => {
    expect(codes('header-gated-routers')).toEqual(['host.header-gated', 'host.header-gated']);
    // Gated on x-litellm-api-key: clients send the key in Authorization, so Traefik answers them 404.
    expect(expected('combined-matchers').status).toBe('warn');
    expect(codes('combined-matchers')).toEqual(['host.key-header-gate']);
  });

  it('flags secrets in labels as failures', () => {
    for (const name of ['secret-master-key-header', 'secret-basicauth', 'secret-interpolated-header']) {
      expect(expected(name).status, name).toBe('fail');
      expect(codes(name).some((c) => c?.startsWith('label.secret')), name).toBe(true);
    }
  });
});

describe('facts', () => {
  it('describes each host with its routers, service port, priority and middlewares', async () => {
    const dir = path.join(root, 'several-routers-per-host');
    const outcome = (await runProbe(traefikLabelsProbe, 
      fakeContext({ rootDir: dir, composeFile: path.join(dir, 'docker-compose.yml'), hosts: DEFAULT_HOSTS }),
    )) as ProbeOutcome<TraefikLabelsFacts>;
    const external = outcome.facts.hosts.find((h) => h.host === 'external')!;
    expect(external).toMatchObject({ url: 'https://litellm.ai-servicers.com', entryPoint: 'websecure', ok: true });
    expect(external.routers.map((r) => r.name)).toEqual(['litellm-ext-redirect', 'litellm-ext', 'litellm-ext-mcp']);
    expect(external.routers[2]).toEqual({
      name: 'litellm-ext-mcp',
      rule: 'Host(`litellm.ai-servicers.com`) && PathPrefix(`/mcp`)',
      entryPoints: ['websecure'],
      tls: true,
      certResolver: 'letsencrypt',
      service: 'litellm-mcp',
      servicePort: 4000,
      priority: 100,
      middlewares: ['mcp-ratelimit', 'security-headers@file'],
      line: 29,
    });
    expect(outcome.summary).toContain('external → litellm-ext, litellm-ext-mcp (websecure, TLS via letsencrypt)');
    expect(outcome.transcript[0]).toMatchObject({ kind: 'traefik-labels', file: 'docker-compose.yml', composeService: 'litellm' });
  });

  it('lists the gated and the open routers of a host, and reproduces the routes with the key header, never its value', async () => {
    const dir = path.join(root, 'header-gated-routers');
    const context = fakeContext({ rootDir: dir, composeFile: path.join(dir, 'docker-compose.yml'), hosts: DEFAULT_HOSTS, secrets: ['sk-never-shown-0000'] });
    const outcome = (await runProbe(traefikLabelsProbe, context)) as ProbeOutcome<TraefikLabelsFacts>;
    expect(outcome.facts.hosts.map((h) => [h.host, h.ok, h.routers.map((r) => r.name)])).toEqual([
      ['lan', true, ['litellm-lan', 'litellm-lan-ui', 'litellm-lan-docs']],
      ['external', true, ['litellm-ext', 'litellm-ext-ui']],
    ]);
    const markdown = regionMarkdown(outcome, 'traefik.labels', renderRouting);
    expect(markdown).toContain(
      `curl -sS -o /dev/null -w '%{http_code} %{time_total}s\\n' -H "Authorization: Bearer $LITELLM_MASTER_KEY" http://litellm.linuxserver.lan/health/liveliness`,
    );
    expect(markdown).not.toContain('sk-never-shown');
  });

  it('redacts secret label values in facts, findings and transcript', async () => {
    const dir = path.join(root, 'secret-basicauth');
    const outcome = await runProbe(traefikLabelsProbe, 
      fakeContext({ rootDir: dir, composeFile: path.join(dir, 'docker-compose.yml'), hosts: DEFAULT_HOSTS }),
    );
    const labels = (outcome.transcript[0] as unknown as { labels: Label[] }).labels;
    expect(labels.find((l) => l.key.endsWith('basicauth.users'))?.value).toBe('[REDACTED]');
    expect(JSON.stringify(outcome)).not.toContain('apr1');
  });
});

describe('the repo lab', () => {
  it('passes on lab/docker-compose.yml with proofbook.config.yaml (hostnames matter, not ports)', async () => {
    const config = await loadConfig(path.join(REPO, 'proofbook.config.yaml'));
    const outcome = await runProbe(traefikLabelsProbe, { config });
    expect(outcome.facts.findings).toEqual([]);
    expect(outcome.status).toBe('pass');
    expect(outcome.facts.file).toBe(path.join('lab', 'docker-compose.yml'));
    expect(outcome.facts.hosts.map((h) => [h.host, h.ok, h.routers.map((r) => r.name)])).toEqual([
      ['lan', true, ['litellm-lan']],
      ['external', true, ['litellm-ext']],
    ]);
  });

  it('keeps the exports src/lab uses working', async () => {
    const file = path.join(REPO, 'lab', 'docker-compose.yml');
    const labels = await readComposeLabels(file);
    expect(labels.find((l) => l.key === 'traefik.enable')?.service).toBe('litellm');
    const routing = toRouting(labels, 'litellm', file);
    expect(routing).toMatchObject({ enabled: true, network: 'traefik-proxy' });
    expect(routing.routers.map((r) => [r.name, r.entryPoints, r.tls, r.service, hostsInRule(r.rule!)])).toEqual([
      ['litellm-lan', ['web'], false, 'litellm', ['litellm.linuxserver.lan']],
      ['litellm-ext', ['websecure'], true, 'litellm', ['litellm.ai-servicers.com']],
    ]);
    expect(routing.services).toMatchObject([{ name: 'litellm', port: 4000 }]);
  });
});

describe('broken-lab variants (the real lab files with one thing wrong)', () => {
  let dir: string;
  let labCompose: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-traefik-labels-'));
    await mkdir(path.join(dir, 'lab'));
    labCompose = await readFile(path.join(REPO, 'lab', 'docker-compose.yml'), 'utf8');
    await copyFile(path.join(REPO, 'proofbook.config.yaml'), path.join(dir, 'proofbook.config.yaml'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function runOn(compose: string) {
    await writeFile(path.join(dir, 'lab', 'docker-compose.yml'), compose);
    const config = await loadConfig(path.join(dir, 'proofbook.config.yaml'));
    return runProbe(traefikLabelsProbe, { config });
  }
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const file = path.join('lab', 'docker-compose.yml');

  it('a wrong port fails naming file:line of loadbalancer.server.port and both ports', async () => {
    const broken = labCompose.replace('loadbalancer.server.port=4000', 'loadbalancer.server.port=4001');
    const outcome = await runOn(broken);
    expect(outcome.status).toBe('fail');
    const line = lineOf(broken, 'loadbalancer.server.port');
    expect(outcome.summary).toContain(`${file}:${line}: service litellm sends routers litellm-lan, litellm-ext to port 4001, but LiteLLM listens on port 4000`);
    expect(outcome.summary).toContain('set traefik.http.services.litellm.loadbalancer.server.port=4000');
  });

  it('a rule for only one host fails naming the missing host', async () => {
    const broken = labCompose.replace('Host(`litellm.ai-servicers.com`)', 'Host(`litellm.linuxserver.lan`)');
    const outcome = await runOn(broken);
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toContain(`${file}:${lineOf(broken, 'labels:')}: no router serves https://litellm.ai-servicers.com:18443`);
  });

  it('missing TLS fails naming the router and the fix', async () => {
    const broken = labCompose
      .split('\n')
      .filter((l) => !l.includes('litellm-ext.tls'))
      .join('\n');
    const outcome = await runOn(broken);
    expect(outcome.status).toBe('fail');
    const line = lineOf(broken, 'routers.litellm-ext.rule');
    expect(outcome.summary).toBe(
      `1 problem: ${file}:${line}: router litellm-ext serves https://litellm.ai-servicers.com:18443 but has no TLS; ` +
        'add traefik.http.routers.litellm-ext.tls.certresolver=<resolver>',
    );
  });
});

describe('probe contract', () => {
  it('has an options schema that defaults from {} and describes every field', () => {
    expect(TraefikLabelsOptionsSchema.parse({})).toEqual({ lanEntryPoint: 'web', tlsEntryPoint: 'websecure', ruleSyntax: 'v3', timeoutMs: 10_000 });
    for (const [field, schema] of Object.entries(TraefikLabelsOptionsSchema.shape)) {
      expect((schema as { description?: string }).description, field).toBeTruthy();
    }
  });

  it('reports invalid options as an error, naming the field', async () => {
    const dir = path.join(root, 'pass-lab-shaped');
    const outcome = await runProbe(traefikLabelsProbe, 
      fakeContext({ rootDir: dir, composeFile: path.join(dir, 'docker-compose.yml'), hosts: DEFAULT_HOSTS, options: { litellmPort: 'x' } }),
    );
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toContain('probes."traefik.labels".litellmPort');
  });

  it('reports a missing compose file as an error with the path', async () => {
    const outcome = await runProbe(traefikLabelsProbe, 
      fakeContext({ rootDir: root, composeFile: path.join(root, 'nope.yml'), hosts: DEFAULT_HOSTS }),
    );
    expect(outcome.status).toBe('error');
    expect(outcome.summary).toBe('nope.yml:1: cannot read the compose file (ENOENT); check gateway.composeFile');
  });

  it('honours an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    const dir = path.join(root, 'pass-lab-shaped');
    await expect(
      runProbe(traefikLabelsProbe, 
        fakeContext({ rootDir: dir, composeFile: path.join(dir, 'docker-compose.yml'), hosts: DEFAULT_HOSTS, signal: controller.signal }),
      ),
    ).rejects.toThrow('timed out');
  });

  it('checks a bare label list too (no file structure around it)', () => {
    const label = (key: string, value: string, line: number): Label => ({ service: 'litellm', key, value, file: 'labels', line });
    const findings = checkTraefikLabels(
      [
        label('traefik.enable', 'true', 1),
        label('traefik.docker.network', 'proxy', 2),
        label('traefik.http.routers.a.rule', 'Host(`litellm.linuxserver.lan`)', 3),
        label('traefik.http.routers.a.entrypoints', 'web', 4),
        label('traefik.http.services.a.loadbalancer.server.port', '4000', 5),
      ],
      [DEFAULT_HOSTS[0]!],
      TraefikLabelsOptionsSchema.parse({}),
      new Redactor(),
    );
    expect(findings).toEqual([]);
  });
});

describe('rule parser', () => {
  it('parses matchers, !, &&, || and parentheses with Traefik precedence', () => {
    expect(parseRule('Host(`a`) || Host(`b`) && !PathPrefix(`/x`)')).toEqual({
      type: 'or',
      left: { type: 'matcher', name: 'Host', args: ['a'], position: 1 },
      right: {
        type: 'and',
        left: { type: 'matcher', name: 'Host', args: ['b'], position: 14 },
        right: { type: 'not', operand: { type: 'matcher', name: 'PathPrefix', args: ['/x'], position: 28 } },
      },
    });
  });

  it.each([
    ['Host(`a`', 'Host( at character 5 is never closed'],
    ['(Host(`a`)', '"(" at character 1 is never closed'],
    ['Host(`a`))', 'unexpected ")" without a matching "(" at character 10'],
    ['Host(`a)', 'unclosed backtick at character 6'],
    ["Host('a')", 'single quote at character 6'],
    ['Host(`a`) & Path(`/`)', 'lone "&" at character 11'],
    ['Host(`a`) Path(`/`)', 'join matchers with && or ||'],
  ])('reports %s with its position', (rule, message) => {
    expect(() => parseRule(rule)).toThrow(RuleSyntaxError);
    expect(() => parseRule(rule)).toThrow(message);
  });

  it('decides whether a rule can match a host (other matchers "depend")', () => {
    const match = (rule: string, host: string) => ruleMatchesHost(parseRule(rule), host);
    expect(match('Host(`a.lan`)', 'A.LAN')).toBe(true);
    expect(match('Host(`a.lan`) && PathPrefix(`/mcp`)', 'a.lan')).toBeUndefined();
    expect(match('Host(`a.lan`) && Host(`b.lan`)', 'a.lan')).toBe(false);
    expect(match('!Host(`a.lan`)', 'a.lan')).toBe(false);
    expect(match('HostRegexp(`^[a-z]+\\.lan$`)', 'a.lan')).toBe(true);
    expect(ruleMatchesHost(parseRule('HostRegexp(`{sub:[a-z]+}.lan`)'), 'a.lan', 'v2')).toBe(true);
  });

  it('keeps hostsInRule working, also on rules it cannot parse', () => {
    expect(hostsInRule('Host(`a`) || Host(`b`, `c`)')).toEqual(['a', 'b', 'c']);
    expect(hostsInRule('(Host(`a`)')).toEqual(['a']);
  });
});

describe('docker run parser', () => {
  it('reads --label, --label=, -l and quoted values with their lines', () => {
    const script = [
      '#!/bin/sh',
      'docker run -dit --rm --name gw --net=proxy \\',
      '  --label "a=1" \\',
      "  --label='b=x y' \\",
      '  -l c=3 -ld=4 \\',
      '  -e "NOT_A_LABEL=1" \\',
      '  image:tag --label not=mine',
      'echo done; docker container create --name other -l "e=5" img',
    ].join('\n');
    const source = parseDockerRunScript(script, 'run.sh');
    expect(source.problems).toEqual([]);
    expect(source.services.map((s) => [s.name, s.image, s.networks, s.line])).toEqual([
      ['gw', 'image:tag', ['proxy'], 2],
      ['other', 'img', undefined, 8],
    ]);
    expect(source.labels.map((l) => [l.service, l.key, l.value, l.line])).toEqual([
      ['gw', 'a', '1', 3],
      ['gw', 'b', 'x y', 4],
      ['gw', 'c', '3', 5],
      ['gw', 'd', '4', 5],
      ['other', 'e', '5', 8],
    ]);
  });

  it('reports an unclosed quote with its line', () => {
    const source = parseDockerRunScript('docker run \\\n  --label "a=1 \\\n  img\n', 'run.sh');
    expect(source.problems).toMatchObject([{ code: 'docker-run.syntax', line: 2, message: 'unclosed double quote; close it' }]);
  });
});
