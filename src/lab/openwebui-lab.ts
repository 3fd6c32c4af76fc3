/**
 * Open WebUI in the lab: the real Open WebUI (PyPI, without PyTorch: `toolchain.ts`) on loopback,
 * offline, with a throwaway DATA_DIR under the lab's runtime folder, configured only through the
 * lab's Open WebUI `.env` (`.lab/secrets/openwebui.env`, written from the committed example):
 * its models through LiteLLM on the LAN host, its MCP tool server the gateway's `/mcp/`.
 *
 * Open WebUI resolves the team's host names through an HTTP proxy at the LAN entrypoint (Traefik
 * routes absolute-form requests by Host), like Codex: nothing edits /etc/hosts. Once it answers
 * `/health`, the first signup makes the lab's admin; its email, password and token go to
 * `.lab/secrets/openwebui-admin.env` (0600, listed in `secretsFiles`: redacted everywhere).
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnv } from '../secrets/env-files.ts';
import type { ServiceManager } from './processes.ts';

/** The variable the admin's token is written under (`probes."openwebui.*"` read it by this name). */
export const OPENWEBUI_TOKEN_VAR = 'OPENWEBUI_ADMIN_TOKEN';
/** The lab admin's email (not a secret; the password and the token are). */
export const OPENWEBUI_ADMIN_EMAIL = 'admin@proofbook.lab';

export interface OpenWebuiLab {
  url: string;
  /** `.lab/secrets/openwebui-admin.env`. */
  secretsFile: string;
  /** How long it took from start to a signed-up admin. */
  readyMs: number;
}

/** The environment Open WebUI runs with: the lab's .env, offline, the proxy, no telemetry. */
export function openWebuiEnvironment(envText: string, envFile: string, options: { dataDir: string; proxyOrigin: string; secretKey: string }): NodeJS.ProcessEnv {
  const fromFile = Object.fromEntries(parseEnv(envText, envFile).map((e) => [e.key, e.value]));
  return {
    PATH: process.env.PATH,
    HOME: options.dataDir,
    LANG: 'C.UTF-8',
    ...fromFile,
    DATA_DIR: options.dataDir,
    WEBUI_SECRET_KEY: options.secretKey,
    // Offline: no model downloads, no version check, no Ollama; embeddings would go to an API, never run locally.
    OFFLINE_MODE: 'true',
    HF_HUB_OFFLINE: '1',
    ENABLE_OLLAMA_API: 'false',
    RAG_EMBEDDING_ENGINE: 'openai',
    ENABLE_VERSION_UPDATE_CHECK: 'false',
    SCARF_NO_ANALYTICS: 'true',
    DO_NOT_TRACK: 'true',
    ANONYMIZED_TELEMETRY: 'false',
    // The team's host names, through Traefik's LAN entrypoint (it routes by Host); loopback stays direct.
    HTTP_PROXY: options.proxyOrigin,
    http_proxy: options.proxyOrigin,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

/** Starts Open WebUI as the service `open-webui` (returns at once: `openWebuiReady` waits for it). */
export async function startOpenWebui(input: {
  services: ServiceManager;
  executable: string;
  runtimeDir: string;
  envFile: string;
  port: number;
  proxyOrigin: string;
}): Promise<void> {
  const dataDir = path.join(input.runtimeDir, 'openwebui');
  // A fresh database each start: Open WebUI reads TOOL_SERVER_CONNECTIONS (with this start's key) only on its first start.
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const env = openWebuiEnvironment(await readFile(input.envFile, 'utf8'), input.envFile, {
    dataDir,
    proxyOrigin: input.proxyOrigin,
    secretKey: randomBytes(32).toString('base64url'),
  });
  await input.services.start({
    name: 'open-webui',
    command: input.executable,
    args: ['serve', '--host', '127.0.0.1', '--port', String(input.port)],
    cwd: dataDir,
    env,
    processName: 'open-webui',
  });
}

/** Waits for `/health`, signs up the lab's admin and writes its secrets file. */
export async function openWebuiReady(input: {
  url: string;
  secretsDir: string;
  started: number;
  poll: (check: () => Promise<boolean>, what: string) => Promise<void>;
}): Promise<OpenWebuiLab> {
  await input.poll(async () => (await fetch(`${input.url}/health`)).ok, `GET ${input.url}/health`);
  const password = randomBytes(18).toString('base64url');
  const response = await fetch(`${input.url}/api/v1/auths/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Proofbook lab admin', email: OPENWEBUI_ADMIN_EMAIL, password }),
  });
  const body = (await response.json().catch(() => ({}))) as { token?: unknown; role?: unknown; detail?: unknown };
  if (!response.ok || typeof body.token !== 'string' || body.role !== 'admin') {
    throw new Error(`the first signup did not make an admin (HTTP ${response.status}, role ${String(body.role)}${body.detail ? `: ${String(body.detail)}` : ''}); was the data folder fresh?`);
  }
  const file = await writeOpenWebuiAdminEnv(input.secretsDir, { password, token: body.token });
  return { url: input.url, secretsFile: file, readyMs: Math.round(performance.now() - input.started) };
}

/** Writes `openwebui-admin.env` (0600), shaped like the committed `lab/secrets/openwebui-admin.env.example`. */
export async function writeOpenWebuiAdminEnv(secretsDir: string, admin: { password: string; token: string }): Promise<string> {
  const file = path.join(secretsDir, 'openwebui-admin.env');
  const text =
    '# Generated by `npm run lab:up`: the lab\'s Open WebUI admin (the first signup); regenerated at every start.\n' +
    `OPENWEBUI_ADMIN_EMAIL=${OPENWEBUI_ADMIN_EMAIL}\nOPENWEBUI_ADMIN_PASSWORD=${admin.password}\n${OPENWEBUI_TOKEN_VAR}=${admin.token}\n`;
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}
