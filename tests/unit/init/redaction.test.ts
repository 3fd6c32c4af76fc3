/**
 * `init` prints hand-written lines — its diff, its report, `--json` — and runbooks hold pasted
 * keys and DSNs. Like refresh-docs, everything it prints is redacted: the values of the
 * workspace's secrets files and the generic forms (`sk-…`, `postgresql://u:pw@…`). And a plan
 * item holding a secret is never written into the config as a `match`.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main as initMain, type InitReport } from '../../../src/cli/init.ts';

const FIXTURE = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'adopt');
const MASTER_KEY = 'sk-lab-Zq8vT2mK9wXr4LpN7cYb';
const ENV_ONLY = 'Vw3nQ9xL2pR7tK5mZ8cB'; // a value only the secrets file knows: no generic form matches it
const GENERIC_KEY = 'sk-proj-A1b2C3d4E5f6G7h8';
const DSN_PASSWORD = 'Hunter2-Tr0ub4dor';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await initMain({ argv, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('init output is redacted like refresh-docs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-init-redact-'));
    await cp(FIXTURE, dir, { recursive: true });
    await writeFile(path.join(dir, 'secrets', 'litellm.env'), `LITELLM_MASTER_KEY=${MASTER_KEY}\nUI_PASSWORD=${ENV_ONLY}\n`);
    const runbook = path.join(dir, 'projects/litellm/CLAUDE.md');
    const text = await readFile(runbook, 'utf8');
    // Pasted into the list the secrets region goes beside, so the diff's context shows the lines.
    await writeFile(
      runbook,
      text.replace(
        '- `secrets/mcp-postgres.env` — `MCP_POSTGRES_URL` (read-only role)\n',
        '- `secrets/mcp-postgres.env` — `MCP_POSTGRES_URL` (read-only role)\n' +
          `- \`secrets/litellm.env\` test key: ${MASTER_KEY}, UI password ${ENV_ONLY}\n` +
          `- \`secrets/litellm.env\` DSN: postgresql://analytics:${DSN_PASSWORD}@db.lan:5432/analytics, old key ${GENERIC_KEY}\n`,
      ),
    );
    const plan = path.join(dir, 'projects/litellm/CODEXMCP.md');
    await writeFile(plan, (await readFile(plan, 'utf8')).replace('\n2. Document secret sources', `\n2. Rotate the secret ${GENERIC_KEY} in secrets/litellm.env ⚠️\n3. Document secret sources`));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('the diff, the console report and --json hold no secret; the config gets no match with one', async () => {
    const text = await run([dir]);
    const json = await run(['--json', dir]);
    expect(text.code, text.err).toBe(0);
    expect(json.code, json.err).toBe(0);
    for (const output of [text.out, json.out]) {
      // The lines are in the output (the diff's context), redacted.
      expect(output).toMatch(/test key: \[REDACTED[^\]]*\], UI password \[REDACTED/);
      expect(output).toContain('postgresql://analytics:[REDACTED');
      for (const secret of [MASTER_KEY, ENV_ONLY, GENERIC_KEY, DSN_PASSWORD]) expect(output).not.toContain(secret);
    }
    const report = JSON.parse(json.out) as InitReport;
    const rotate = report.unbound.find((u) => u.text.startsWith('Rotate the secret'));
    expect(rotate?.reason).toMatch(/holds what looks like a secret/);
    expect(report.bound.some((b) => b.text.startsWith('Rotate the secret'))).toBe(false);

    await run(['--yes', dir]);
    expect(await readFile(path.join(dir, 'proofbook.config.yaml'), 'utf8')).not.toContain(GENERIC_KEY);
  });
});
