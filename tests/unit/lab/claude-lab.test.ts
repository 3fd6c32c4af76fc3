/**
 * The lab's Claude Code project folder (src/lab/claude-lab.ts): the team's example .mcp.json with
 * the lab's host URLs and no key value, and settings that point `claude -p` at the scripted model.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCRIPTED_MODEL_KEY, writeClaudeLab } from '../../../src/lab/claude-lab.ts';
import type { Config } from '../../../src/probes/config.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');

describe('the lab\'s Claude Code project', () => {
  const temps: string[] = [];
  afterAll(async () => {
    for (const dir of temps) await rm(dir, { recursive: true, force: true });
  });

  it('writes .mcp.json from lab/clients/claude/.mcp.json with the lab\'s ports, and settings.json with the scripted model', async () => {
    const runtimeDir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-claude-lab-'));
    temps.push(runtimeDir);
    const config = {
      gateway: { configFile: path.join(REPO, 'lab', 'config.yaml') },
      hosts: [
        { name: 'lan', url: 'http://litellm.linuxserver.lan:28080' },
        { name: 'external', url: 'https://litellm.ai-servicers.com:28443' },
      ],
      lab: { runtimeDir },
    } as unknown as Config;
    const lab = await writeClaudeLab(config, 'http://127.0.0.1:45678');
    expect(lab).toEqual({ projectDir: path.join(runtimeDir, 'claude'), settingsFile: path.join(runtimeDir, 'claude', 'settings.json') });
    const mcp = JSON.parse(await readFile(path.join(lab!.projectDir, '.mcp.json'), 'utf8'));
    expect(mcp.mcpServers['litellm-lan'].url).toBe('http://litellm.linuxserver.lan:28080/mcp/');
    expect(mcp.mcpServers['litellm-external'].url).toBe('https://litellm.ai-servicers.com:28443/mcp/');
    expect(mcp.mcpServers['litellm-lan'].headers.Authorization).toBe('Bearer ${LITELLM_API_KEY}'); // a reference, never a key
    expect(JSON.parse(await readFile(lab!.settingsFile, 'utf8'))).toEqual({ env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:45678', ANTHROPIC_API_KEY: SCRIPTED_MODEL_KEY } });
  });

  it('does nothing for a workspace without a Claude Code example', async () => {
    const config = { gateway: { configFile: path.join(os.tmpdir(), 'no-such-workspace', 'config.yaml') }, hosts: [], lab: { runtimeDir: os.tmpdir() } } as unknown as Config;
    expect(await writeClaudeLab(config, undefined)).toBeUndefined();
  });
});
