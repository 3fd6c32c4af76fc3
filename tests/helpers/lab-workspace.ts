/**
 * A throwaway copy of the built-in lab workspace on free ports, so end-to-end tests never
 * touch the repo's own content or evidence and never collide with a lab a developer runs.
 */
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/lab/postgres.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');

export interface LabWorkspace {
  dir: string;
  configPath: string;
  ports: { lan: number; external: number; api: number; litellm: number; openwebui: number };
  remove(): Promise<void>;
}

export async function createLabWorkspace(existingDir?: string): Promise<LabWorkspace> {
  const dir = existingDir ?? (await mkdtemp(path.join(os.tmpdir(), 'proofbook-lab-')));
  await chmod(dir, 0o755); // the lab runs PostgreSQL as the postgres user when we are root
  const ports = { lan: await freePort(), external: await freePort(), api: await freePort(), litellm: await freePort(), openwebui: await freePort() };

  await cp(path.join(REPO, 'content'), path.join(dir, 'content'), { recursive: true });
  await cp(path.join(REPO, 'lab'), path.join(dir, 'lab'), { recursive: true });
  // The compose label names the port Traefik forwards to; it must be LiteLLM's.
  const composeFile = path.join(dir, 'lab', 'docker-compose.yml');
  const compose = await readFile(composeFile, 'utf8');
  await writeFile(composeFile, compose.replace('loadbalancer.server.port=4000', `loadbalancer.server.port=${ports.litellm}`));

  const config = (await readFile(path.join(REPO, 'proofbook.config.yaml'), 'utf8'))
    .replace('litellm.linuxserver.lan:18080', `litellm.linuxserver.lan:${ports.lan}`)
    .replace('litellm.ai-servicers.com:18443', `litellm.ai-servicers.com:${ports.external}`)
    .replace('litellmPort: 4000', `litellmPort: ${ports.litellm}`)
    .replace('traefikApiPort: 18090', `traefikApiPort: ${ports.api}`)
    // The lab's Open WebUI, and where openwebui.list (and so openwebui.invoke) finds it.
    .replace('openwebuiPort: 18380', `openwebuiPort: ${ports.openwebui}`)
    .replaceAll('http://127.0.0.1:18380', `http://127.0.0.1:${ports.openwebui}`);
  const configPath = path.join(dir, 'proofbook.config.yaml');
  await writeFile(configPath, config);
  return { dir, configPath, ports, remove: () => rm(dir, { recursive: true, force: true }) };
}
