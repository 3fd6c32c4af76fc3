/**
 * The built-in local lab: the team's system in miniature, all on loopback.
 *
 *   PostgreSQL ← mcp_postgres ┐
 *   lab folder ← mcp_filesystem ┴ (stdio) ← LiteLLM (lab.litellmVersion) ← Traefik v3 (web + websecure) ← Proofbook, Open WebUI
 *   scripted model (test double for the LLM) ← LiteLLM's model `scripted` ← Open WebUI's chats
 *
 * `labUp` returns only once LiteLLM, the Traefik API, the MCP endpoint (through Traefik) and,
 * with `lab.openwebuiPort`, Open WebUI (with its admin signed up) all answer; otherwise it stops
 * what it started and names the component and its log.
 */
import { createConnection } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { gatewayMcp } from '../config/gateway-mcp.ts';
import type { Config } from '../probes/config.ts';
import { readComposeLabels } from '../gateway/read-labels.ts';
import { toRouting } from '../gateway/traefik-routing.ts';
import { createHttpClient, type HttpClient } from '../net/http-client.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { makeCertificates } from './certs.ts';
import { writeClaudeLab, type ClaudeLab } from './claude-lab.ts';
import { startScriptedModelService, writeCodexLab, type CodexLab } from './codex-lab.ts';
import { openWebuiReady, startOpenWebui, type OpenWebuiLab } from './openwebui-lab.ts';
import { createPostgresDataDir, freePort, removePostgresData, startPostgres } from './postgres.ts';
import { ServiceManager } from './processes.ts';
import { generateSecrets, writeOpenWebuiEnv, writeSecretsFiles, type LabSecrets } from './secrets.ts';
import { ensureLitellm, ensureOpenWebui, ensureTraefik, type Log } from './toolchain.ts';
import { traefikConfigFromCompose } from './traefik-config.ts';
import { writeVscodeLab } from './vscode-lab.ts';

export class LabError extends Error {
  readonly component: string;
  readonly logFile?: string;
  constructor(component: string, message: string, logFile?: string) {
    super(`${component}: ${message}${logFile ? `\n  log: ${logFile}` : ''}`);
    this.name = 'LabError';
    this.component = component;
    this.logFile = logFile;
  }
}

export interface LabInfo {
  secrets: LabSecrets;
  secretsFiles: string[];
  postgresPort: number;
  entryPoints: Record<string, number>;
  /** The lab's CODEX_HOME and scripted model (a test double for the LLM); absent without lab/clients/codex/config.toml. */
  codex?: CodexLab;
  /** The lab's Claude Code project folder (.mcp.json) and settings (the scripted model); absent without lab/clients/claude/.mcp.json. */
  claude?: ClaudeLab;
  /** The lab's VS Code workspace folder (.vscode/mcp.json); absent without lab/clients/vscode/.vscode/mcp.json. */
  vscode?: string;
  /** The lab's Open WebUI and its admin's secrets file; absent without `lab.openwebuiPort`. */
  openwebui?: OpenWebuiLab;
  durationMs: number;
}

const READY_TIMEOUT_MS = 180_000;

export interface LabUpOptions {
  /**
   * The port LiteLLM listens on, when not `lab.litellmPort`: a second lab (src/lab/preview-lab.ts)
   * keeps the team's port in its config (the labels' port, which `traefik.labels` checks) and runs
   * LiteLLM elsewhere.
   */
  litellmPort?: number;
}

export async function labUp(config: Config, log: Log = () => {}, options: LabUpOptions = {}): Promise<LabInfo> {
  const started = performance.now();
  const runtimeDir = config.lab.runtimeDir;
  const services = new ServiceManager(runtimeDir);
  await services.stopAll(); // a second lab:up restarts cleanly

  const openwebuiPort = config.lab.openwebuiPort;
  const [litellm, traefik, openwebuiBin] = await Promise.all([
    ensureLitellm(log, config.lab.litellmVersion),
    ensureTraefik(log),
    openwebuiPort ? ensureOpenWebui(log) : undefined,
  ]);

  const compose = config.gateway.composeFile;
  const labels = await readComposeLabels(compose);
  const composeService = labels.find((l) => l.key === 'traefik.enable')?.service;
  if (!composeService) throw new LabError('traefik', `${compose}: no service has a traefik.enable label`);
  const routing = toRouting(labels, composeService, compose);

  const certificates = await makeCertificates(
    path.join(runtimeDir, 'certs'),
    config.hosts.filter((h) => h.url.startsWith('https:')).map((h) => new URL(h.url).hostname),
  );
  const dynamicConfigFile = path.join(runtimeDir, 'traefik', 'dynamic.yml');
  const traefikFiles = traefikConfigFromCompose({
    routing,
    hosts: config.hosts,
    apiPort: config.lab.traefikApiPort,
    dynamicConfigFile,
    certificates,
    ...(options.litellmPort ? { servicePort: options.litellmPort } : {}),
  });
  const litellmPort = options.litellmPort ?? config.lab.litellmPort;
  await assertPortsFree({
    'LiteLLM (lab.litellmPort)': litellmPort,
    'Traefik API (lab.traefikApiPort)': config.lab.traefikApiPort,
    ...(openwebuiPort ? { 'Open WebUI (lab.openwebuiPort)': openwebuiPort } : {}),
    ...Object.fromEntries(Object.entries(traefikFiles.entryPoints).map(([name, port]) => [`Traefik entrypoint ${name}`, port])),
  });

  const postgresPort = await freePort();
  const scriptedModelPort = await freePort();
  await mkdir(config.lab.filesystemRoot, { recursive: true });
  await writeFile(
    path.join(config.lab.filesystemRoot, 'README.md'),
    '# Shared folder\n\nFiles that `mcp_filesystem` may read in the Proofbook lab.\n',
  );
  await writeFile(path.join(config.lab.filesystemRoot, 'services.txt'), 'litellm\nopen-webui\npostgres\n');
  const secrets = generateSecrets({ postgresPort, filesystemRoot: config.lab.filesystemRoot, scriptedModelUrl: `http://127.0.0.1:${scriptedModelPort}/v1` });
  const secretsFiles = await writeSecretsFiles(path.join(runtimeDir, 'secrets'), secrets);
  // Open WebUI's .env holds the real key: written beside the other secrets from the committed example.
  const openwebuiTemplate = path.join(path.dirname(config.gateway.configFile), 'clients', 'openwebui', '.env.example');
  const openwebuiEnv = await writeOpenWebuiEnv(path.join(runtimeDir, 'secrets'), openwebuiTemplate, secrets, config.hosts);
  if (openwebuiEnv) secretsFiles.push(openwebuiEnv);
  if (openwebuiPort && !openwebuiEnv) throw new LabError('open-webui', `lab.openwebuiPort is set but ${openwebuiTemplate} does not exist; add it or remove lab.openwebuiPort`);

  let codex: CodexLab | undefined;
  let claude: ClaudeLab | undefined;
  let vscode: string | undefined;
  let openwebui: OpenWebuiLab | undefined;
  try {
    // First: LiteLLM's model_list names it (os.environ/SCRIPTED_MODEL_URL).
    const modelOrigin = await startScriptedModelService(services, scriptedModelPort, log).catch((error) => {
      throw new LabError('scripted-model', (error as Error).message);
    });

    log('starting PostgreSQL');
    await startPostgres({
      services,
      dataDir: await createPostgresDataDir(runtimeDir),
      port: postgresPort,
      adminPassword: secrets.postgresAdminPassword,
      readerPassword: secrets.postgresPassword,
      seedFile: path.join(path.dirname(config.gateway.configFile), 'seed.sql'),
    }).catch((error) => {
      throw new LabError('postgres', (error as Error).message, services.logFile('postgres'));
    });

    log('starting Traefik');
    await mkdir(path.dirname(dynamicConfigFile), { recursive: true });
    const staticConfigFile = path.join(runtimeDir, 'traefik', 'traefik.yml');
    await writeFile(staticConfigFile, traefikFiles.staticConfig);
    await writeFile(dynamicConfigFile, traefikFiles.dynamicConfig);
    await services.start({ name: 'traefik', command: traefik, args: [`--configFile=${staticConfigFile}`] });

    log(`starting LiteLLM ${config.lab.litellmVersion}`);
    await services.start({
      name: 'litellm',
      command: litellm,
      args: ['--config', config.gateway.configFile, '--host', '127.0.0.1', '--port', String(litellmPort)],
      cwd: runtimeDir,
      env: {
        ...process.env,
        LITELLM_MASTER_KEY: secrets.masterKey,
        MCP_FILESYSTEM_ROOT: secrets.filesystemRoot,
        MCP_POSTGRES_URL: secrets.postgresUrl,
        SCRIPTED_MODEL_URL: secrets.scriptedModelUrl,
        SCRIPTED_MODEL_KEY: secrets.scriptedModelKey,
        // Offline: without this, importing litellm tries to fetch its model cost map.
        LITELLM_LOCAL_MODEL_COST_MAP: 'True',
        // LiteLLM 1.110.2 (not 1.77.1) starts no stdio MCP server without LITELLM_ENABLE_MCP_STDIO=true
        // ("stdio MCP servers are disabled on this proxy"; read only from its environment, never from
        // config.yaml), and only commands on its allowlist (npx, uvx, python, python3, node, docker,
        // deno) plus LITELLM_MCP_STDIO_EXTRA_COMMANDS: the lab's servers run through `sh -c` (see
        // lab/config.yaml). 1.77.1 reads neither. A deployment upgrading past 1.77.1 needs the first
        // in the proxy's environment, and the second for any other command (docs/lab.md).
        LITELLM_ENABLE_MCP_STDIO: 'true',
        LITELLM_MCP_STDIO_EXTRA_COMMANDS: 'sh',
        // The stdio MCP servers are the npm-installed ones.
        PATH: `${path.join(PACKAGE_ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
      },
    });

    const openwebuiStarted = performance.now();
    if (openwebuiPort && openwebuiBin && openwebuiEnv) {
      // Started now, so its ~15 s start overlaps LiteLLM's; it needs LiteLLM only when a chat or a listing asks.
      log('starting Open WebUI');
      await startOpenWebui({ services, executable: openwebuiBin, runtimeDir, envFile: openwebuiEnv, port: openwebuiPort, proxyOrigin: lanOrigin(traefikFiles.entryPoints) });
    }
    codex = await writeCodexLab(config, modelOrigin, log);
    claude = await writeClaudeLab(config, modelOrigin);
    vscode = await writeVscodeLab(config);
    const ready = openwebuiPort
      ? openWebuiReady({
          url: `http://127.0.0.1:${openwebuiPort}`,
          secretsDir: path.join(runtimeDir, 'secrets'),
          started: openwebuiStarted,
          poll: (check, what) => poll('open-webui', services, check, what),
        }).catch((error) => {
          throw error instanceof LabError ? error : new LabError('open-webui', (error as Error).message, services.logFile('open-webui'));
        })
      : Promise.resolve(undefined);
    ready.catch(() => {}); // awaited below; not an unhandled rejection while LiteLLM is awaited
    await waitUntilReady(config, litellmPort, services, secrets, log);
    openwebui = await ready;
    if (openwebui) {
      secretsFiles.push(openwebui.secretsFile);
      log(`Open WebUI answers at ${openwebui.url} (admin signed up; ready in ${(openwebui.readyMs / 1000).toFixed(1)} s)`);
    }
  } catch (error) {
    await services.stopAll();
    await removePostgresData(runtimeDir);
    throw error;
  }
  return {
    secrets,
    secretsFiles,
    postgresPort,
    entryPoints: traefikFiles.entryPoints,
    ...(codex ? { codex } : {}),
    ...(claude ? { claude } : {}),
    ...(vscode ? { vscode } : {}),
    ...(openwebui ? { openwebui } : {}),
    durationMs: Math.round(performance.now() - started),
  };
}

export async function labDown(config: Config): Promise<string[]> {
  const stopped = await new ServiceManager(config.lab.runtimeDir).stopAll();
  await removePostgresData(config.lab.runtimeDir);
  return stopped;
}

/** Where Open WebUI's HTTP proxy is: the plain-http entrypoint (the LAN host's), which routes absolute-form requests by Host. */
function lanOrigin(entryPoints: Record<string, number>): string {
  const port = entryPoints.web ?? Object.values(entryPoints)[0];
  return `http://127.0.0.1:${port}`;
}

async function waitUntilReady(config: Config, litellmPort: number, services: ServiceManager, secrets: LabSecrets, log: Log): Promise<void> {
  const http = createHttpClient(config.hosts);
  try {
    const litellmUrl = `http://127.0.0.1:${litellmPort}/health/liveliness`;
    await poll('litellm', services, async () => (await http.fetch(litellmUrl)).ok, `GET ${litellmUrl}`);
    log(`LiteLLM ${config.lab.litellmVersion} is alive`);
    const routersUrl = `http://127.0.0.1:${config.lab.traefikApiPort}/api/http/routers`;
    await poll(
      'traefik',
      services,
      async () => {
        const response = await http.fetch(routersUrl);
        const routers = response.ok ? ((await response.json()) as { provider?: string }[]) : [];
        return routers.some((router) => router.provider === 'file'); // the routers from the compose labels
      },
      `GET ${routersUrl}`,
    );
    log('Traefik API answers');
    const mcp = gatewayMcp(config);
    const mcpUrl = new URL(mcp.path, config.hostByName(config.probes['mcp.catalog'].host).url);
    await poll('litellm', services, () => mcpAnswers(http, mcpUrl, secrets.masterKey, mcp.servers), `MCP at ${mcpUrl}`);
    log('MCP endpoint answers through Traefik');
  } finally {
    await http.close();
  }
}

async function mcpAnswers(http: HttpClient, url: URL, key: string, servers: string[]): Promise<boolean> {
  const transport = new StreamableHTTPClientTransport(url, {
    fetch: http.fetch,
    // The key as clients send it: routers gated on Authorization let nothing else through.
    requestInit: { headers: { authorization: `Bearer ${key}`, 'x-mcp-servers': servers.join(',') } },
  });
  const client = new Client({ name: 'proofbook-lab', version: '1' });
  try {
    await client.connect(transport);
    return true;
  } finally {
    await client.close().catch(() => {});
  }
}

/** Retries `check` until it is true; fails early when the component's process has died. */
async function poll(component: string, services: ServiceManager, check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
      lastError = 'answered, but not ready';
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (!(await services.isRunning(component))) {
      throw new LabError(component, `exited before ${what} answered`, services.logFile(component));
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new LabError(component, `${what} did not answer within ${READY_TIMEOUT_MS / 1000} s (${lastError})`, services.logFile(component));
}

async function assertPortsFree(ports: Record<string, number>): Promise<void> {
  for (const [what, port] of Object.entries(ports)) {
    const inUse = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (inUse) {
      throw new LabError(
        'lab',
        `port ${port} for ${what} is already in use on 127.0.0.1. Stop whatever holds it (\`npm run lab:down\` if it is ` +
          'another lab) or change the port in proofbook.config.yaml.',
      );
    }
  }
}
