/**
 * Canary test on a real lab of its own: 50+ planted secret values, in plain, base64 and
 * URL-encoded forms, in the secrets files, LiteLLM's config, a Traefik label, the key header
 * and a tool's output. After a refresh none of them — in any form — appears in the evidence,
 * the runbooks, stdout or stderr.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../../src/cli/refresh-docs.ts';
import { loadConfig, type Config } from '../../../src/probes/config.ts';
import { labDown, labUp, type LabInfo } from '../../../src/lab/lab.ts';
import { createLabWorkspace, type LabWorkspace } from '../../helpers/lab-workspace.ts';

const CANARIES = Array.from({ length: 50 }, () => randomBytes(18).toString('base64')); // has + / =
const INLINE_CONFIG_SECRET = `sk-canary-config-${randomBytes(12).toString('hex')}`;
const LABEL_SECRET = `sk-canary-label-${randomBytes(12).toString('hex')}`;

let workspace: LabWorkspace;
let config: Config;
let lab: LabInfo;

const forms = (value: string) => [value, Buffer.from(value).toString('base64'), encodeURIComponent(value)];

async function textFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  workspace = await createLabWorkspace();
  // A secret inline in LiteLLM's config, and one in a Traefik label (a middleware injecting a key).
  const litellmConfigFile = path.join(workspace.dir, 'lab', 'config.yaml');
  const litellmConfig = parse(await readFile(litellmConfigFile, 'utf8'));
  litellmConfig.mcp_servers.mcp_filesystem.env.CANARY_TOKEN = INLINE_CONFIG_SECRET;
  await writeFile(litellmConfigFile, stringify(litellmConfig));
  const composeFile = path.join(workspace.dir, 'lab', 'docker-compose.yml');
  const compose = await readFile(composeFile, 'utf8');
  await writeFile(
    composeFile,
    compose.replace(
      '      - "traefik.enable=true"',
      `      - "traefik.enable=true"\n      - "traefik.http.middlewares.inject-key.headers.customrequestheaders.x-litellm-api-key=Bearer ${LABEL_SECRET}"`,
    ),
  );
  // A tool reads a file holding every canary in every form, so they travel through the tool output.
  const proofbookConfig = parse(await readFile(workspace.configPath, 'utf8'));
  proofbookConfig.probes['mcp.invoke'] = {
    calls: [{ server: 'mcp_filesystem', tool: 'read_text_file', arguments: { path: '' }, expect: 'canaries' }],
  };
  await writeFile(workspace.configPath, stringify(proofbookConfig));

  config = await loadConfig(workspace.configPath);
  lab = await labUp(config);
  const canaryFile = path.join(config.lab.filesystemRoot, 'canaries.txt');
  await writeFile(canaryFile, `canaries\n${CANARIES.flatMap(forms).join('\n')}\n${forms(INLINE_CONFIG_SECRET).join('\n')}\n`);
  proofbookConfig.probes['mcp.invoke'].calls[0].arguments.path = canaryFile;
  await writeFile(workspace.configPath, stringify(proofbookConfig));
  // The canaries are secrets the team keeps in its secrets files.
  await appendFile(config.secretsFiles[0]!, CANARIES.map((value, i) => `CANARY_${i}=${value}`).join('\n') + '\n');
  // The inline config secret and the label secret are in no secrets file: the redactor learns
  // the first from config.yaml, and the label probe redacts the second itself.
}, 900_000);

afterAll(async () => {
  if (config) await labDown(config);
  await workspace?.remove();
});

describe('canary secrets', () => {
  it('appear nowhere in evidence, runbooks, stdout or stderr after a refresh', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    await main({ argv: ['--config', workspace.configPath], stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });

    // The canaries really travelled: the tool call read them, and the evidence says so (redacted).
    const invoke = (await textFiles(path.join(config.evaluationDir, 'mcp.invoke'))).find((f) => !f.endsWith('.transcript.json'))!;
    expect(await readFile(invoke, 'utf8')).toContain('[REDACTED]');

    const planted = [...CANARIES, INLINE_CONFIG_SECRET, LABEL_SECRET, lab.secrets.masterKey, lab.secrets.postgresPassword].flatMap(forms);
    expect(planted.length).toBeGreaterThanOrEqual(150);
    const places: [string, string][] = [
      ...(await Promise.all(
        [...(await textFiles(config.evaluationDir)), ...(await textFiles(path.join(workspace.dir, 'content')))].map(
          async (file): Promise<[string, string]> => [path.relative(workspace.dir, file), await readFile(file, 'utf8')],
        ),
      )),
      ['stdout', stdout.join('\n')],
      ['stderr', stderr.join('\n')],
    ];
    const hits = places.flatMap(([where, text]) => planted.filter((value) => text.includes(value)).map(() => where));
    expect(hits, `canary values found in: ${[...new Set(hits)].join(', ')}`).toEqual([]);
  });
});
