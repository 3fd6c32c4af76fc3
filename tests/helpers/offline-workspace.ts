/**
 * A workspace with runbooks and evidence but no running gateway, for the rewrite and CLI
 * paths that must work offline (`--check`, `--dry-run`). Evidence is written by the real
 * evidence store from scripted probe outcomes: the outcome is the only stand-in here.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeEvidence } from '../../src/evidence/store.ts';
import type { ProbeOutcome } from '../../src/probes/types.ts';
import { Redactor } from '../../src/secrets/redactor.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');

export const CONFIG = `runbooks: [content]
evaluationDir: evaluation
gateway:
  configFile: lab/config.yaml
  composeFile: lab/docker-compose.yml
  mcp:
    servers: [mcp_postgres, mcp_filesystem]
hosts:
  - name: lan
    url: http://127.0.0.1:9
probes:
  mcp.catalog:
    timeoutMs: 2000
plan:
  bindings:
    - match: scripted curl (SSE) test
      probes: [mcp.catalog]
`;

export interface OfflineWorkspace {
  dir: string;
  configPath: string;
  evaluationDir: string;
  record(outcome: Partial<ProbeOutcome>, at: string): Promise<void>;
  remove(): Promise<void>;
}

export const PASSING_CATALOG: ProbeOutcome = {
  status: 'pass',
  summary: '2 tools via lan (mcp_postgres 1, mcp_filesystem 1)',
  facts: {
    host: 'lan',
    endpoint: 'http://litellm.linuxserver.lan/mcp/',
    pages: 1,
    toolCount: 2,
    servers: [
      { name: 'mcp_postgres', tools: ['query'], missingTools: [] },
      { name: 'mcp_filesystem', tools: ['read_text_file'], missingTools: [] },
    ],
    otherTools: [],
    reproduce: 'curl -s http://litellm.linuxserver.lan/mcp-rest/tools/list',
  },
  transcript: [],
};

export async function createOfflineWorkspace(files: Record<string, string> = {}): Promise<OfflineWorkspace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-offline-'));
  await cp(path.join(REPO, 'content'), path.join(dir, 'content'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  const configPath = path.join(dir, 'proofbook.config.yaml');
  await writeFile(configPath, CONFIG);
  const evaluationDir = path.join(dir, 'evaluation');
  return {
    dir,
    configPath,
    evaluationDir,
    async record(outcome, at) {
      await writeEvidence({
        evaluationDir,
        id: 'mcp.catalog',
        outcome: { ...PASSING_CATALOG, ...outcome },
        startedAt: at,
        durationMs: 5,
        redactor: new Redactor(),
      });
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
