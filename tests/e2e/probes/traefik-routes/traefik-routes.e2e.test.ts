/**
 * `traefik.routes` on the real lab: Traefik v3's API, requests through both entrypoints to
 * LiteLLM 1.77.1, and the certificate Traefik serves on the https host.
 *
 * The happy path reads the shared lab. The broken variants run on a lab of their own, in order,
 * repairing between them: a router removed from Traefik's config, certificates that are expired,
 * about to expire or for another name (signed with the lab's own CA by openssl), and LiteLLM
 * stopped (last: nothing to repair). Nothing here is a stand-in.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig, type Config } from '../../../../src/probes/config.ts';
import { labDown, labUp } from '../../../../src/lab/lab.ts';
import { freePort } from '../../../../src/lab/postgres.ts';
import { ServiceManager } from '../../../../src/lab/processes.ts';
import { ensureTraefik } from '../../../../src/lab/toolchain.ts';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { traefikRoutesProbe, type TraefikRoutesFacts } from '../../../../src/probes/traefik-routes/probe.ts';
import type { ProbeOutcome } from '../../../../src/probes/types.ts';
import { renderRoutes } from '../../../../src/probes/traefik-routes/render.ts';
import { readSecretsFiles } from '../../../../src/secrets/env-files.ts';
import { createLabWorkspace, type LabWorkspace } from '../../../helpers/lab-workspace.ts';
import { sharedLab } from '../../../helpers/shared-lab.ts';
import { runProbe as runAsTheRunnerDoes } from '../../../helpers/probe-context.ts';
import { regionMarkdown } from '../../../helpers/region-markdown.ts';


async function runProbe(config: Config): Promise<ProbeOutcome<TraefikRoutesFacts>> {
  const http = createHttpClient(config.hosts);
  try {
    const secrets = (await readSecretsFiles(config.secretsFiles)).entries;
    return await runAsTheRunnerDoes(traefikRoutesProbe, { config, http, secrets });
  } finally {
    await http.close();
  }
}

describe('traefik.routes on the shared lab', () => {
  let config: Config;
  beforeAll(async () => {
    ({ config } = await sharedLab());
  });

  it('finds an enabled router per host, reaches LiteLLM through both entrypoints and accepts the certificate', async () => {
    const outcome = await runProbe(config);
    expect(outcome.status).toBe('pass');
    expect(outcome.summary).toMatch(
      /^Traefik routes every host to LiteLLM: lan via litellm-lan@file → HTTP 200; external via litellm-ext@file → HTTP 200, certificate valid until \d{4}-\d\d-\d\d$/,
    );
    const [lan, external] = outcome.facts.hosts;
    expect(lan).toMatchObject({
      host: 'lan',
      ok: true,
      routers: [{ name: 'litellm-lan@file', status: 'enabled', entryPoints: ['web'], tls: false, service: 'litellm@file', errors: [] }],
      request: { status: 200, ok: true },
      declared: { router: 'litellm-lan', file: 'lab/docker-compose.yml', line: 17 },
    });
    expect(lan!.routers[0]!.servers).toEqual([`http://127.0.0.1:${config.lab.litellmPort}`]);
    expect(external).toMatchObject({
      host: 'external',
      ok: true,
      routers: [{ name: 'litellm-ext@file', entryPoints: ['websecure'], tls: true }],
      certificate: {
        subject: 'CN=litellm.ai-servicers.com',
        issuer: 'CN=Proofbook lab CA',
        san: ['litellm.ai-servicers.com'],
        matchesHost: true,
        trusted: true,
        state: 'valid',
      },
    });
    expect(outcome.facts.findings).toEqual([]);

    // The transcript is the raw evidence: timing, headers and the TLS handshake.
    const http = outcome.transcript.filter((e) => e.kind === 'http') as unknown as { url: string; durationMs?: number; responseHeaders?: Record<string, string> }[];
    expect(http.map((e) => new URL(e.url).pathname)).toEqual(['/api/http/routers', '/api/http/services', '/health/liveliness', '/health/liveliness']);
    expect(http.every((e) => typeof e.durationMs === 'number')).toBe(true);
    expect(http.at(-1)!.responseHeaders).toHaveProperty('date');
    expect(outcome.transcript.find((e) => e.kind === 'tls')).toMatchObject({ servername: 'litellm.ai-servicers.com', authorized: true });
  });

  it('renders the region: live routers, the request through each, the certificate', async () => {
    const outcome = await runProbe(config);
    const markdown = regionMarkdown(outcome, 'traefik.routes', renderRoutes);
    const until = outcome.facts.hosts[1]!.certificate!.validTo.slice(0, 10);
    expect(markdown).toContain('| Host | Router (live) | Entrypoint | Service → server | Request | Certificate | OK |');
    expect(markdown).toContain(`| lan | \`litellm-lan@file\` | web | \`litellm@file\` → \`http://127.0.0.1:${config.lab.litellmPort}\` | ✅ /health/liveliness 200 | — (http) | ✅ |`);
    expect(markdown).toContain(`| external | \`litellm-ext@file\` | websecure | \`litellm@file\` → \`http://127.0.0.1:${config.lab.litellmPort}\` | ✅ /health/liveliness 200 | ✅ valid until ${until}, issuer CN=Proofbook lab CA | ✅ |`);
    expect(markdown).toContain(`curl -sS http://127.0.0.1:${config.lab.traefikApiPort}/api/http/routers`);
  });

  it('says the same thing twice: no latency, date or id in summary or facts', async () => {
    const first = await runProbe(config);
    const second = await runProbe(config);
    expect(second.summary).toBe(first.summary);
    expect(second.facts).toEqual(first.facts);
    expect(JSON.stringify(first.facts)).not.toMatch(/durationMs|"date"/);
  });

  it('reports a Traefik API that does not answer, and still checks the routes', async () => {
    const port = await freePort(); // nothing listens there
    const apiUrl = `http://127.0.0.1:${port}`;
    const outcome = await runProbe({ ...config, probes: { ...config.probes, 'traefik.routes': { apiUrl } } as Config['probes'] });
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toMatch(new RegExp(`^cannot read Traefik's routers from ${apiUrl}/api/http/routers: fetch failed \\(.*ECONNREFUSED 127\\.0\\.0\\.1:${port}\\) — is the Traefik API enabled there`));
    expect(outcome.facts.hosts.map((h) => h.request.status)).toEqual([200, 200]);
  });
});

describe('traefik.routes on a broken lab of its own', () => {
  let workspace: LabWorkspace;
  let config: Config;
  let runtimeDir: string;
  let certDir: string;
  const original = new Map<string, string>();

  /** Restarts only Traefik (its file provider does not watch) and waits until it serves `routers` file routers. */
  async function restartTraefik(routers: number): Promise<void> {
    const services = new ServiceManager(runtimeDir);
    await services.stop('traefik');
    await services.start({
      name: 'traefik',
      command: await ensureTraefik(() => {}),
      args: [`--configFile=${path.join(runtimeDir, 'traefik', 'traefik.yml')}`],
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${config.lab.traefikApiPort}/api/http/routers`);
        const list = (await response.json()) as { provider?: string }[];
        if (list.filter((r) => r.provider === 'file').length === routers) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error('Traefik did not come back within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Signs a server certificate with the lab's CA (`openssl ca` sets explicit dates, which `x509 -req` cannot). */
  async function installCertificate(name: string, validity: string[]): Promise<void> {
    const work = path.join(certDir, `variant-${Date.now()}`);
    await mkdir(path.join(work, 'db'), { recursive: true });
    await writeFile(path.join(work, 'db', 'index.txt'), '');
    await writeFile(path.join(work, 'db', 'serial'), '1000\n');
    await writeFile(
      path.join(work, 'ca.cnf'),
      [
        '[ca]', 'default_ca = lab', '[lab]', `database = ${work}/db/index.txt`, `new_certs_dir = ${work}/db`, `serial = ${work}/db/serial`,
        'default_md = sha256', 'policy = any', 'unique_subject = no', '[any]', 'commonName = supplied', '[ext]', `subjectAltName = DNS:${name}`, '',
      ].join('\n'),
    );
    await execa('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`, '-keyout', path.join(work, 'key.pem'), '-out', path.join(work, 'csr.pem')]);
    await execa('openssl', [
      'ca', '-batch', '-config', path.join(work, 'ca.cnf'), '-cert', path.join(certDir, 'ca.pem'), '-keyfile', path.join(certDir, 'ca-key.pem'),
      '-in', path.join(work, 'csr.pem'), '-out', path.join(work, 'cert.pem'), '-extensions', 'ext', '-notext', ...validity,
    ]);
    await copyFile(path.join(work, 'cert.pem'), path.join(certDir, 'server.pem'));
    await copyFile(path.join(work, 'key.pem'), path.join(certDir, 'server-key.pem'));
    await restartTraefik(2);
  }

  async function restoreCertificate(): Promise<void> {
    for (const [file, text] of original) await writeFile(file, text);
    await restartTraefik(2);
  }

  beforeAll(async () => {
    workspace = await createLabWorkspace();
    config = await loadConfig(workspace.configPath);
    await labUp(config);
    runtimeDir = config.lab.runtimeDir;
    certDir = path.join(runtimeDir, 'certs');
    for (const name of ['server.pem', 'server-key.pem']) original.set(path.join(certDir, name), await readFile(path.join(certDir, name), 'utf8'));
  });

  afterAll(async () => {
    if (config) await labDown(config);
    await workspace?.remove();
  });

  it('fails when Traefik lost the LAN router, naming the host, the API and the compose label that declares it', async () => {
    const dynamicFile = path.join(runtimeDir, 'traefik', 'dynamic.yml');
    const before = await readFile(dynamicFile, 'utf8');
    const dynamic = parse(before);
    delete dynamic.http.routers['litellm-lan'];
    await writeFile(dynamicFile, stringify(dynamic));
    await restartTraefik(1);
    try {
      const outcome = await runProbe(config);
      expect(outcome.status).toBe('fail');
      const lan = `lan (http://litellm.linuxserver.lan:${workspace.ports.lan})`;
      expect(outcome.summary).toBe(
        `${lan}: Traefik has no router for Host(\`litellm.linuxserver.lan\`) (http://127.0.0.1:${workspace.ports.api}/api/http/routers lists only litellm-ext@file); ` +
          "lab/docker-compose.yml:17 declares router litellm-lan for it, but the running Traefik does not have it (check Traefik's provider config and its log); " +
          `${lan}: GET http://litellm.linuxserver.lan:${workspace.ports.lan}/health/liveliness answered HTTP 404 "404 page not found" — Traefik has no router for this host on this entrypoint`,
      );
      expect(outcome.facts.hosts.map((h) => [h.host, h.ok])).toEqual([['lan', false], ['external', true]]);
      expect(regionMarkdown(outcome, 'traefik.routes', renderRoutes)).toContain('| lan | — (none in Traefik) | — | — | ❌ /health/liveliness 404 404 page not found | — (http) | ❌ |');
    } finally {
      await writeFile(dynamicFile, before);
      await restartTraefik(2);
    }
    expect((await runProbe(config)).status).toBe('pass');
  });

  it('fails on an expired certificate, saying when it expired and which certificate it is', async () => {
    await installCertificate('litellm.ai-servicers.com', ['-startdate', '20200101000000Z', '-enddate', '20200102000000Z']);
    try {
      const outcome = await runProbe(config);
      expect(outcome.status).toBe('fail');
      const external = `external (https://litellm.ai-servicers.com:${workspace.ports.external})`;
      expect(outcome.summary).toContain(
        `${external}: the certificate Traefik serves for litellm.ai-servicers.com (subject CN=litellm.ai-servicers.com, issuer CN=Proofbook lab CA, ` +
          "SAN litellm.ai-servicers.com) expired on 2020-01-02; renew it and point Traefik's tls.certificates (or certresolver) at the new one",
      );
      // The client refuses it too, and says why.
      expect(outcome.summary).toContain(`${external}: GET https://litellm.ai-servicers.com:${workspace.ports.external}/health/liveliness failed: fetch failed (CERT_HAS_EXPIRED`);
      expect(outcome.facts.hosts[1]!.certificate).toMatchObject({ state: 'expired', validTo: '2020-01-02T00:00:00Z', verifyError: 'CERT_HAS_EXPIRED', matchesHost: true });
      expect(outcome.facts.hosts[0]!.ok).toBe(true);
    } finally {
      await restoreCertificate();
    }
  });

  it('warns on a certificate that expires within certWarnDays, and fails on one for another name', async () => {
    await installCertificate('litellm.ai-servicers.com', ['-days', '5']);
    try {
      const soon = await runProbe(config);
      expect(soon.status).toBe('warn');
      expect(soon.summary).toMatch(
        new RegExp(`^external \\(https://litellm\\.ai-servicers\\.com:${workspace.ports.external}\\): the certificate Traefik serves for litellm\\.ai-servicers\\.com .* expires on \\d{4}-\\d\\d-\\d\\d, within the 14-day warning window; renew it$`),
      );
      expect(soon.facts.hosts[1]!.certificate!.state).toBe('expiring');

      await installCertificate('other.example.org', ['-days', '30']);
      const wrongName = await runProbe(config);
      expect(wrongName.status).toBe('fail');
      expect(wrongName.summary).toContain(
        `external (https://litellm.ai-servicers.com:${workspace.ports.external}): the certificate Traefik serves for litellm.ai-servicers.com ` +
          '(subject CN=other.example.org, issuer CN=Proofbook lab CA, SAN other.example.org) does not cover litellm.ai-servicers.com',
      );
      expect(wrongName.facts.hosts[1]!.certificate).toMatchObject({ matchesHost: false, verifyError: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    } finally {
      await restoreCertificate();
    }
  });

  it('fails with 502 on both hosts when LiteLLM is stopped, saying Traefik cannot reach it and where it looked', async () => {
    await new ServiceManager(runtimeDir).stop('litellm');
    const outcome = await runProbe(config);
    expect(outcome.status).toBe('fail');
    const backend = `service litellm@file → http://127.0.0.1:${workspace.ports.litellm}`;
    expect(outcome.summary).toBe(
      [
        `lan (http://litellm.linuxserver.lan:${workspace.ports.lan}): GET http://litellm.linuxserver.lan:${workspace.ports.lan}/health/liveliness`,
        `external (https://litellm.ai-servicers.com:${workspace.ports.external}): GET https://litellm.ai-servicers.com:${workspace.ports.external}/health/liveliness`,
      ]
        .map((request) => `${request} answered HTTP 502 "Bad Gateway" — Traefik cannot reach LiteLLM (${backend}): is LiteLLM running, on the port the service (compose label) names?`)
        .join('; '),
    );
    // The routers themselves are fine: the finding is about the backend, not the routing.
    expect(outcome.facts.hosts.every((h) => h.routers.length === 1 && h.routers[0]!.status === 'enabled')).toBe(true);
  });
});
