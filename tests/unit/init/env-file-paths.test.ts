/**
 * The compose service's `env_file`s as `init` writes them into the config: an absolute one
 * (`/home/ops/secrets/litellm.env`) stays absolute, one outside the folder is said to be outside,
 * and init reads both for its redactor — a value only they hold never appears in its output.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main as initMain } from '../../../src/cli/init.ts';
import { parseConfig } from '../../../src/probes/config.ts';

const SECRET = 'Vw3nQ9xL2pR7tK5mZ8cBqq';

describe('init and env_file paths', () => {
  let root: string;
  let elsewhere: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'proofbook-init-env-'));
    elsewhere = await mkdtemp(path.join(os.tmpdir(), 'proofbook-init-secrets-'));
    await writeFile(path.join(elsewhere, 'litellm.env'), `UI_PASSWORD=${SECRET}\n`);
    await mkdir(path.join(root, 'deploy'));
    await writeFile(
      path.join(root, 'deploy', 'docker-compose.yml'),
      [
        'services:',
        '  litellm:',
        '    image: ghcr.io/berriai/litellm:main-v1.77.1',
        '    env_file:',
        `      - ${path.join(elsewhere, 'litellm.env')}`,
        '      - ../../shared/mcp.env',
        '    labels:',
        '      - "traefik.enable=true"',
        '      - "traefik.http.routers.litellm-lan.rule=Host(`litellm.lan`)"',
        '',
      ].join('\n'),
    );
    await writeFile(path.join(root, 'deploy', 'config.yaml'), 'mcp_servers:\n  mcp_postgres: {command: x}\n');
    await writeFile(path.join(root, 'RUNBOOK.md'), `# LiteLLM\n\n## Secrets\n\n- \`litellm.env\` holds the UI login ${SECRET} (rotate monthly)\n- \`litellm.env\` holds the master key\n`);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
  });

  it('keeps an absolute env_file absolute, says an outside one is outside, and redacts what they hold', async () => {
    const out: string[] = [];
    const code = await initMain({ argv: ['--yes', root], stdout: (l) => out.push(l), stderr: (l) => out.push(l) });
    expect(code, out.join('\n')).toBe(0);
    expect(out.join('\n')).not.toContain(SECRET);
    const text = await readFile(path.join(root, 'proofbook.config.yaml'), 'utf8');
    expect(text).toContain(`  - ${path.join(elsewhere, 'litellm.env')}   # outside this folder`);
    expect(text).toContain('  - ../shared/mcp.env   # outside this folder');
    const config = parseConfig(text.replace(/^plan:[\s\S]*$/m, 'plan: {bindings: [], decisions: []}\n'), path.join(root, 'proofbook.config.yaml'));
    expect(config.secretsFiles).toContain(path.join(elsewhere, 'litellm.env'));
  });
});
