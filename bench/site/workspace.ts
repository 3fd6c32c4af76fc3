/**
 * bench/site's workspace: the bench corpus (../corpus.ts) as a Proofbook workspace, with a long
 * evaluation history written through the real evidence store and a 20 MB hand-filed log.
 *
 * - runbooks: `writeCorpus` into content/ (project folders team-0 … team-19). The corpus's
 *   `../notes/*.md` links point at files that do not exist — the site fails the build on a
 *   broken link — so they are re-pointed at other runbooks of the corpus (cross-links the site
 *   rewrites and checks). Every runbook gets an Evidence section: a Markdown link to one run's
 *   result and an inline-code path to another run's transcript (both become evidence blocks).
 * - evidence: `writeEvidence` for every registered probe, one run an hour each, in time order
 *   (as refresh-docs appends them), so every dashboard history strip is full. Each run writes
 *   two artifacts (result + transcript). Mostly passes, some warnings and failures.
 * - a 20 MB log under evaluation/bench/, named in runbook 0 in inline code and linked; its last
 *   line is a unique marker that must never show up in a page.
 * - then `refresh-docs --offline` renders the corpus's generated regions from that evidence,
 *   as a user's workspace would look before a site build.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { main as refreshDocs } from '../../src/cli/refresh-docs.ts';
import { writeEvidence } from '../../src/evidence/store.ts';
import { PROBE_IDS } from '../../src/probes/registry.ts';
import type { ProbeOutcome, ProbeStatus, TranscriptEntry } from '../../src/probes/types.ts';
import { Redactor } from '../../src/secrets/redactor.ts';
import { random, writeCorpus } from '../corpus.ts';

/** The build's "now" (PROOFBOOK_SITE_NOW): the newest runs are under an hour old, so nothing is stale. */
export const BENCH_NOW = '2026-11-20T12:00:00.000Z';
/** Relative to the evaluation folder. */
export const BIG_LOG = 'bench/catalog-load-2026-11-19.log';
const BIG_LOG_LINES = 210_000; // of 100 bytes: 21,000,000 bytes, "20.0 MB" as the site shows it

export interface BenchWorkspace {
  dir: string;
  configPath: string;
  contentDir: string;
  evaluationDir: string;
  runbooks: string[];
  runbookBytes: number;
  projects: number;
  /** Evidence files written by the store (results + transcripts). */
  artifacts: number;
  runs: number;
  probes: number;
  bigLog: { path: string; bytes: number; marker: string };
}

export async function createWorkspace(dir: string, options: { runbooks: number; artifacts: number }): Promise<BenchWorkspace> {
  const contentDir = path.join(dir, 'content');
  const evaluationDir = path.join(dir, 'evaluation');
  const secret = `sk-bench-${randomBytes(12).toString('hex')}`;
  await mkdir(path.join(dir, 'secrets'), { recursive: true });
  await writeFile(path.join(dir, 'secrets', 'litellm.env'), `LITELLM_MASTER_KEY=${secret}\n`);
  const configPath = path.join(dir, 'proofbook.config.yaml');
  await writeFile(configPath, CONFIG);

  const runs = await writeHistory(evaluationDir, Math.max(1, Math.round(options.artifacts / 2)), new Redactor([secret]), secret);
  const bigLog = await writeBigLog(path.join(evaluationDir, BIG_LOG));

  const runbooks = await writeCorpus(contentDir, options.runbooks);
  for (let i = 0; i < runbooks.length; i++) {
    const file = runbooks[i]!;
    const text = await readFile(file, 'utf8');
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    let link = 0;
    const relinked = text.replace(/\]\(\.\.\/notes\/[a-z]+\.md\)/g, () => {
      const target = runbooks[(i + 1 + 7 * link++) % runbooks.length]!;
      return `](${path.relative(path.dirname(file), target).split(path.sep).join('/')})`;
    });
    const ref = (k: number) => runs[(i * 37 + k * 101) % runs.length]!;
    const toEvaluation = path.relative(path.dirname(file), evaluationDir).split(path.sep).join('/');
    const lines = [
      '',
      '',
      '## Evidence',
      '',
      `- Last manual check: [${ref(0).id} result](${toEvaluation}/${ref(0).result}).`,
      `- Raw exchanges, as filed: \`projects/litellm/evaluation/${ref(1).transcript}\`.`,
    ];
    if (i === 0) {
      lines.push(
        `- The catalog load test wrote \`projects/litellm/evaluation/${BIG_LOG}\``,
        `  ([the whole log](${toEvaluation}/${BIG_LOG})).`,
      );
    }
    await writeFile(file, relinked.replace(/(\r?\n)?$/, '') + lines.join(eol) + eol);
  }

  const errors: string[] = [];
  const code = await refreshDocs({ argv: ['--offline', '--config', configPath], stdout: () => {}, stderr: (line) => errors.push(line) });
  if (code !== 0) throw new Error(`refresh-docs --offline on the bench workspace exited with ${code}:\n${errors.join('\n')}`);

  let runbookBytes = 0;
  for (const file of runbooks) runbookBytes += (await readFile(file)).length;
  return {
    dir,
    configPath,
    contentDir,
    evaluationDir,
    runbooks,
    runbookBytes,
    projects: new Set(runbooks.map((f) => path.dirname(f))).size,
    artifacts: runs.length * 2,
    runs: runs.length,
    probes: PROBE_IDS.length,
    bigLog,
  };
}

const CONFIG = `# bench/site: a generated workspace (see bench/site/workspace.ts).
runbooks: [content]
evaluationDir: evaluation
gateway:
  configFile: gateway/config.yaml
  composeFile: gateway/docker-compose.yml
  mcp:
    servers: [mcp_postgres, mcp_filesystem]
secretsFiles: [secrets/litellm.env]
hosts:
  - name: lan
    url: http://litellm.linuxserver.lan
  - name: external
    url: https://litellm.ai-servicers.com
probes: {}
plan:
  bindings:
    - match: gateway catalog
      probes: [mcp.catalog]
    - match: scripted curl (SSE) test
      probes: [mcp.catalog]
`;

interface Run {
  id: string;
  result: string;
  transcript: string;
}

/** `count` runs spread over every registered probe, hourly, the newest just before BENCH_NOW. */
async function writeHistory(evaluationDir: string, count: number, redactor: Redactor, secret: string): Promise<Run[]> {
  const planned: { id: string; startedAt: string; status: ProbeStatus; seed: number }[] = [];
  const perProbe = Math.ceil(count / PROBE_IDS.length);
  for (let p = 0; p < PROBE_IDS.length; p++) {
    const rnd = random(1000 + p);
    for (let r = 0; r < perProbe && planned.length < count; r++) {
      const startedAt = new Date(Date.parse(BENCH_NOW) - (perProbe - r) * 3600_000 + (p + 1) * 60_000).toISOString();
      const roll = rnd();
      // The last two runs of each probe pass, except that secrets.audit ends on a warning.
      const tail = r >= perProbe - 2;
      const status: ProbeStatus = tail ? (PROBE_IDS[p] === 'secrets.audit' ? 'warn' : 'pass') : roll < 0.82 ? 'pass' : roll < 0.92 ? 'warn' : roll < 0.98 ? 'fail' : 'error';
      planned.push({ id: PROBE_IDS[p]!, startedAt, status, seed: p * 100_000 + r });
    }
  }
  planned.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const runs: Run[] = [];
  for (const run of planned) {
    const outcome = probeOutcome(run.id, run.status, random(run.seed), run.startedAt, secret);
    const result = await writeEvidence({ evaluationDir, id: run.id, outcome, startedAt: run.startedAt, durationMs: 20 + (run.seed % 900), redactor });
    runs.push({ id: run.id, result: result.evidence.result, transcript: result.evidence.transcript });
  }
  return runs;
}

const LAN = 'http://litellm.linuxserver.lan';
const EXTERNAL = 'https://litellm.ai-servicers.com';
const TOOLS = { mcp_postgres: ['query'], mcp_filesystem: ['list_allowed_directories', 'read_text_file', 'list_directory', 'search_files'] };

/** Facts shaped like each probe's (what the renderers and the dashboard read), and a transcript of a few exchanges. */
function probeOutcome(id: string, status: ProbeStatus, rnd: () => number, at: string, secret: string): ProbeOutcome {
  const ok = status === 'pass';
  const exchanges = (n: number, url: string, extra: (i: number) => Record<string, unknown> = () => ({})): TranscriptEntry[] =>
    Array.from({ length: n }, (_, i) => ({
      at,
      kind: 'http',
      method: i % 2 ? 'POST' : 'GET',
      url,
      // The key as sent: the redactor replaces it before anything is written.
      requestHeaders: { authorization: `Bearer ${secret}`, 'x-mcp-servers': 'mcp_postgres,mcp_filesystem', 'user-agent': 'proofbook/0.1.0' },
      status: ok ? 200 : 503,
      responseHeaders: { 'content-type': 'application/json', date: new Date(Date.parse(at)).toUTCString(), 'x-litellm-call-id': randomHex(rnd, 32) },
      contentType: 'application/json',
      body: JSON.stringify({ ok, items: Array.from({ length: 4 + Math.floor(rnd() * 20) }, (_, k) => ({ k, value: randomHex(rnd, 24) })) }),
      durationMs: Math.round(5 + rnd() * 400),
      ...extra(i),
    }));
  const summary = (text: string) => (ok ? text : status === 'warn' ? `warning: ${text}` : `${status}: ${text} (run failed)`);
  switch (id) {
    case 'mcp.catalog': {
      const servers = Object.entries(TOOLS).map(([name, tools]) => ({ name, tools: ok || name === 'mcp_postgres' ? tools : [], missingTools: ok || name === 'mcp_postgres' ? [] : tools }));
      const toolCount = servers.reduce((n, s) => n + s.tools.length, 0);
      return {
        status,
        summary: ok ? `${toolCount} tools via lan (mcp_postgres 1, mcp_filesystem 4)` : 'no tools from mcp_filesystem',
        facts: {
          host: 'lan',
          endpoint: `${LAN}/mcp/`,
          pages: 1,
          toolCount,
          servers,
          otherTools: [],
          reproduce: `curl -s -H 'x-mcp-servers: mcp_postgres,mcp_filesystem' ${LAN}/mcp-rest/tools/list`,
        },
        transcript: exchanges(3, `${LAN}/mcp/`, () => ({
          contentType: 'text/event-stream',
          body: undefined,
          sseEvents: servers.flatMap((s) => s.tools.map((tool, n) => ({ event: 'message', data: JSON.stringify({ jsonrpc: '2.0', id: n, result: { tools: [{ name: `${s.name}-${tool}`, description: `${tool} on ${s.name}`, inputSchema: { type: 'object' } }] } }) }))),
          ssePings: Math.floor(rnd() * 5),
        })),
      };
    }
    case 'traefik.labels':
    case 'traefik.routes': {
      const router = (name: string, host: string, entryPoint: string, tls: boolean, line: number) => ({
        name,
        rule: `Host(\`${host}\`)`,
        entryPoints: [entryPoint],
        tls,
        service: 'litellm',
        servicePort: 4000,
        middlewares: [],
        line,
      });
      return {
        status,
        summary: summary('2 hosts routed to litellm:4000'),
        facts: {
          file: 'gateway/docker-compose.yml',
          hosts: [
            { host: 'lan', url: LAN, entryPoint: 'web', routers: [router('litellm-lan', 'litellm.linuxserver.lan', 'web', false, 12)], ok: true },
            { host: 'external', url: EXTERNAL, entryPoint: 'websecure', routers: [router('litellm-external', 'litellm.ai-servicers.com', 'websecure', true, 17)], ok },
          ],
          findings: ok ? [] : [{ severity: status === 'warn' ? 'warn' : 'fail', message: 'litellm-external: no certificate resolver', file: 'gateway/docker-compose.yml', line: 17 }],
        },
        transcript: id === 'traefik.routes' ? exchanges(4, 'http://127.0.0.1:18090/api/http/routers') : [],
      };
    }
    case 'gateway.health':
      return {
        status,
        summary: summary('liveliness and readiness OK on 2 hosts, LiteLLM 1.77.1'),
        facts: { version: '1.77.1', hosts: [{ host: 'lan', liveliness: 200, readiness: 200 }, { host: 'external', liveliness: ok ? 200 : 503, readiness: ok ? 200 : 503 }] },
        transcript: exchanges(4, `${LAN}/health/liveliness`),
      };
    case 'gateway.auth':
      return {
        status,
        summary: summary('no key and a wrong key list no tools'),
        facts: { checks: [{ key: 'none', status: 401, tools: 0 }, { key: 'wrong', status: ok ? 401 : 500, tools: 0 }] },
        transcript: exchanges(2, `${LAN}/mcp/`),
      };
    case 'gateway.config':
      return {
        status,
        summary: summary('2 MCP servers as expected'),
        facts: {
          configFile: 'gateway/config.yaml',
          servers: [
            { name: 'mcp_postgres', transport: 'stdio', command: 'npx', args: ['@modelcontextprotocol/server-postgres'], envRefs: ['POSTGRES_URL'], line: 8 },
            { name: 'mcp_filesystem', transport: 'stdio', command: 'npx', args: ['@modelcontextprotocol/server-filesystem'], envRefs: [], line: 14 },
          ],
          findings: [],
        },
        transcript: [],
      };
    case 'secrets.audit':
      return {
        status,
        summary: status === 'pass' ? 'secrets files private and ignored' : 'secrets/litellm.env is group-readable',
        facts: { files: [{ file: 'secrets/litellm.env', exists: true, mode: ok ? '0600' : '0640', git: 'ignored', keys: [{ key: 'LITELLM_MASTER_KEY', line: 1, empty: false }] }], findings: [] },
        transcript: [],
      };
    default:
      return {
        status,
        summary: summary(`one call through ${id}`),
        facts: { calls: [{ server: 'mcp_postgres', tool: 'query', ok, ms: Math.round(rnd() * 300) }, { server: 'mcp_filesystem', tool: 'list_allowed_directories', ok: true, ms: Math.round(rnd() * 300) }] },
        transcript: exchanges(2 + Math.floor(rnd() * 3), `${LAN}/mcp/`),
      };
  }
}

function randomHex(rnd: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(rnd() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, length);
}

/** 210,000 lines of 100 bytes, then one line holding a marker that appears nowhere else. */
async function writeBigLog(file: string): Promise<BenchWorkspace['bigLog']> {
  await mkdir(path.dirname(file), { recursive: true });
  const marker = `PROOFBOOK-BENCH-LOG-END-${randomBytes(16).toString('hex')}`;
  const handle = await open(file, 'w');
  try {
    const chunkLines = 10_000;
    for (let start = 0; start < BIG_LOG_LINES; start += chunkLines) {
      let chunk = '';
      for (let i = start; i < start + chunkLines; i++) {
        const t = `2026-11-19T${String(10 + Math.floor(i / 36_000)).padStart(2, '0')}:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')}Z`;
        chunk += `${t} GET /mcp/ 200 ${String(5 + (i % 90)).padStart(2, '0')}ms mcp_filesystem-read_text_file req=${i}`.padEnd(99, '.') + '\n';
      }
      await handle.write(chunk);
    }
    await handle.write(`${marker}\n`);
  } finally {
    await handle.close();
  }
  const bytes = BIG_LOG_LINES * 100 + marker.length + 1;
  return { path: BIG_LOG, bytes, marker };
}
