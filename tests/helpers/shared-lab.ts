/**
 * The shared real lab (see tests/setup/shared-lab.global.ts), and documentation workspaces
 * that point at it: each test gets its own runbooks and evidence folder, so tests never see
 * each other's results, while LiteLLM, Traefik and PostgreSQL start once per run.
 *
 * Tests that break the lab (stop LiteLLM, remove a router…) must start their own with
 * `createLabWorkspace` + `labUp` instead.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig, type Config } from '../../src/probes/config.ts';
import { labUp } from '../../src/lab/lab.ts';
import { ServiceManager } from '../../src/lab/processes.ts';
import type { LabSecrets } from '../../src/lab/secrets.ts';
import { PROBE_IDS } from '../../src/probes/registry.ts';
import { createHttpClient, type HttpClient } from '../../src/net/http-client.ts';
import { readSecretsFiles, type EnvEntry } from '../../src/secrets/env-files.ts';
import { createLabWorkspace } from './lab-workspace.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');

export interface SharedLab {
  dir: string;
  configPath: string;
  config: Config;
  secrets: LabSecrets;
  /** A fresh workspace (own content/ and evaluation/) whose gateway is the shared lab. */
  docsWorkspace(): Promise<{ dir: string; configPath: string; config: Config }>;
}

export async function sharedLab(): Promise<SharedLab> {
  const dir = inject('sharedLabDir');
  const configPath = path.join(dir, 'proofbook.config.yaml');
  const infoFile = path.join(dir, 'lab-secrets.json'); // test-only copy, removed with the folder
  const running = existsSync(configPath) && (await new ServiceManager(path.join(dir, '.lab')).isRunning('litellm'));
  if (!running) {
    await createLabWorkspace(dir);
    const info = await labUp(await loadConfig(configPath));
    await writeFile(infoFile, JSON.stringify(info.secrets));
  }
  const config = await loadConfig(configPath, { knownProbes: PROBE_IDS });
  const secrets = JSON.parse(await readFile(infoFile, 'utf8')) as LabSecrets;
  return {
    dir,
    configPath,
    config,
    secrets,
    async docsWorkspace() {
      const docs = await mkdtemp(path.join(os.tmpdir(), 'proofbook-docs-'));
      await cp(path.join(REPO, 'content'), path.join(docs, 'content'), { recursive: true });
      // Same gateway, hosts, secrets and lab as the shared workspace; own runbooks and evidence.
      const raw = (await import('yaml')).parse(await readFile(configPath, 'utf8'));
      const absolute = (p: string) => path.resolve(dir, p);
      raw.runbooks = ['content'];
      raw.evaluationDir = 'evaluation';
      raw.gateway.configFile = absolute(raw.gateway.configFile);
      raw.gateway.composeFile = absolute(raw.gateway.composeFile);
      raw.secretsFiles = raw.secretsFiles.map(absolute);
      raw.hosts = raw.hosts.map((h: { caFile?: string }) => (h.caFile ? { ...h, caFile: absolute(h.caFile) } : h));
      raw.probes['secrets.audit'] = { ...(raw.probes['secrets.audit'] ?? {}), examples: (raw.probes['secrets.audit']?.examples ?? []).map(absolute) };
      raw.lab = { ...(raw.lab ?? {}), runtimeDir: path.join(dir, '.lab'), filesystemRoot: path.join(dir, '.lab', 'files') };
      if (raw.probes['openwebui.config']?.envFile) raw.probes['openwebui.config'].envFile = absolute(raw.probes['openwebui.config'].envFile);
      for (const id of ['vscode.config', 'claude.config']) {
        if (raw.probes[id]?.files) raw.probes[id].files = raw.probes[id].files.map(absolute); // the lab's client examples
      }
      for (const id of ['codex.config', 'codex.list', 'codex.invoke']) {
        if (raw.probes[id]?.codexHome) raw.probes[id].codexHome = absolute(raw.probes[id].codexHome); // the lab's CODEX_HOME
      }
      for (const id of ['vscode.list', 'vscode.invoke']) {
        if (raw.probes[id]?.file) raw.probes[id].file = absolute(raw.probes[id].file); // the lab's .vscode/mcp.json
      }
      for (const id of ['claude.list', 'claude.invoke']) {
        for (const key of ['project', 'settings']) if (raw.probes[id]?.[key]) raw.probes[id][key] = absolute(raw.probes[id][key]); // the lab's Claude Code project
      }
      const docsConfig = path.join(docs, 'proofbook.config.yaml');
      await writeFile(docsConfig, stringify(raw));
      return { dir: docs, configPath: docsConfig, config: await loadConfig(docsConfig, { knownProbes: PROBE_IDS }) };
    },
  };
}

/** What a probe's e2e test starts from: the shared lab, a fresh docs workspace on it, an HTTP client for its hosts, its secrets. */
export interface LabProbeWorkspace {
  lab: SharedLab;
  workspace: { dir: string; configPath: string; config: Config };
  http: HttpClient;
  secrets: EnvEntry[];
}

/**
 * Opens a LabProbeWorkspace (for a `beforeAll`). `unset`: environment variables removed first —
 * the gateway key must come from the lab's secrets files, as for a team's `set -a; . file`.
 */
export async function openLabWorkspace(unset: string[] = []): Promise<LabProbeWorkspace> {
  for (const name of unset) delete process.env[name];
  const lab = await sharedLab();
  const workspace = await lab.docsWorkspace();
  const http = createHttpClient(workspace.config.hosts);
  const secrets = (await readSecretsFiles(workspace.config.secretsFiles)).entries;
  return { lab, workspace, http, secrets };
}

/** Closes what openLabWorkspace opened (for an `afterAll`; safe when it never finished). */
export async function closeLabWorkspace(opened: { http?: HttpClient; workspace?: { dir: string } }): Promise<void> {
  await opened.http?.close();
  if (opened.workspace) await rm(opened.workspace.dir, { recursive: true, force: true });
}
