/**
 * The bare baselines: what a user types for the same result, with the same inputs, built from what
 * the probe ran (./record.ts), so neither side has an input the other lacks.
 *
 * - CLI probes (codex.*, claude.*): the recorded client commands run again as they are (same
 *   executable, arguments, environment, folder), the ones the probe ran at once at once again;
 *   `--version` checks are left out (a user does not type them).
 * - Open WebUI probes: the recorded admin-API requests, one `curl` each, in order; an id the server
 *   assigned (the chat) is carried into the later requests, and the saved chat is read every
 *   300 ms until its assistant message is done, as a script polling it would.
 * - vscode.list on the fallback (no VS Code): an MCP SDK client per server of the workspace's mcp.json
 *   (`connect` + `listTools`, the URL and headers the probe sent), through the lab's name
 *   resolution (createHttpClient: the hosts' names are not in DNS).
 * - vscode.list and vscode.invoke on real VS Code (code-server; the lab's config): VS Code opened on the workspace, as a member opens
 *   it: the recorded code-server command (same workspace, extension, user data, hosts' resolution)
 *   until it answers `/healthz`, then headless Chromium (the base flags, as a plain browser: not the probe's V8 and encoding settings) on the workbench until
 *   its status bar shows. The probe goes on from there: VS Code starts the MCP servers (the key is
 *   typed at the input prompt), the extension lists and calls, the report is read back; a member
 *   does the same by hand, so this baseline is a floor, not the same work.
 */
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Fetch } from '../../src/net/http-client.ts';
import { DEFAULT_CHROMIUM, launchChromium } from '../../src/probes/kit/chromium.ts';
import type { FetchRecord, SpawnRecord } from './record.ts';

export interface BareRun {
  /** What the baseline is, in a line. */
  describe: string;
  run(): Promise<{ ok: boolean; note?: string }>;
}

const isVersionCheck = (s: SpawnRecord) => s.args.at(-1) === '--version';
const isBrowser = (s: SpawnRecord) => /chrom/i.test(s.file);

/** The recorded client commands, overlapping ones together, as a user's shell would run them. */
export function replaySpawns(spawns: SpawnRecord[]): BareRun {
  const commands = spawns.filter((s) => !isVersionCheck(s) && !isBrowser(s)).sort((a, b) => a.start - b.start);
  const groups: SpawnRecord[][] = [];
  let groupEnd = -Infinity;
  for (const command of commands) {
    if (command.start < groupEnd && groups.length) groups.at(-1)!.push(command);
    else groups.push([command]);
    groupEnd = Math.max(command.start < groupEnd ? groupEnd : 0, command.end);
  }
  const shown = (s: SpawnRecord) => [s.file, ...s.args].map((a) => (a.length > 60 ? `${a.slice(0, 57)}…` : a)).join(' ');
  return {
    describe: groups.map((group) => group.map(shown).join(' & ')).join(' ; '),
    async run() {
      for (const group of groups) {
        const results = await Promise.all(group.map((s) => execa(s.file, s.args, { env: s.env, extendEnv: false, cwd: s.cwd, stdin: 'ignore', reject: false })));
        const differs = results.findIndex((r, k) => r.exitCode !== group[k]!.exitCode);
        if (differs >= 0) return { ok: false, note: `${shown(group[differs]!)} exited ${results[differs]!.exitCode} (the probe's: ${group[differs]!.exitCode})` };
      }
      return { ok: true };
    },
  };
}

/** code-server with the probe's arguments, until it answers /healthz, then the workbench in Chromium. */
export function startCodeServer(spawns: SpawnRecord[]): BareRun {
  const record = spawns.find((s) => s.args.some((a) => a.includes('code-server')) || s.file.includes('code-server'));
  if (!record) throw new Error('the probe started no code-server: is probes."vscode.list".codeServer set and code-server in .tools/?');
  const bind = record.args.find((a, k) => record.args[k - 1] === '--bind-addr') ?? record.args.find((a) => a.startsWith('--bind-addr='))?.slice(12);
  if (!bind) throw new Error(`no --bind-addr in the code-server command: ${record.args.join(' ')}`);
  return {
    describe: `${[record.file, ...record.args].join(' ').slice(0, 200)}…, until http://${bind}/healthz answers; then headless Chromium on the workbench until its status bar shows`,
    async run() {
      const child = spawn(record.file, record.args, { env: record.env, cwd: record.cwd, stdio: 'ignore', detached: true });
      try {
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
          const answer = await fetch(`http://${bind}/healthz`).catch(() => undefined);
          if (answer?.ok) return await openWorkbench(`http://${bind}/?folder=${encodeURIComponent(record.args.at(-1)!)}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return { ok: false, note: 'code-server did not answer /healthz within 60 s' };
      } finally {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
        await exited;
      }
    },
  };
}

async function openWorkbench(url: string): Promise<{ ok: boolean; note?: string }> {
  const browser = await launchChromium(DEFAULT_CHROMIUM);
  try {
    const page = await browser.newPage();
    await page.goto(url, { timeout: 30_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 30_000 });
    return { ok: true };
  } catch (error) {
    return { ok: false, note: `the workbench did not show: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  } finally {
    await browser.close().catch(() => {});
  }
}

/** The recorded Open WebUI requests with curl, the chat's id carried over and its reading polled until done. */
export function curlRequests(fetches: FetchRecord[]): BareRun {
  const requests = fetches.filter((f, k) => !(f.method === 'GET' && /\/api\/v1\/chats\/[^/]+$/.test(new URL(f.url).pathname) && fetches[k - 1]?.url === f.url));
  const assistantId = fetches.map((f) => (f.body && f.url.endsWith('/api/chat/completions') ? (JSON.parse(f.body) as { id?: string }).id : undefined)).find(Boolean);
  return {
    describe: requests.map((f) => `curl -X ${f.method} ${new URL(f.url).pathname}`).join(' ; '),
    async run() {
      const ids = new Map<string, string>();
      const carry = (text: string) => [...ids].reduce((t, [old, now]) => t.replaceAll(old, now), text);
      for (const f of requests) {
        const polling = f.method === 'GET' && /\/api\/v1\/chats\/[^/]+$/.test(new URL(f.url).pathname) && assistantId;
        for (;;) {
          const args = ['-sS', '-X', f.method, carry(f.url), '-w', '\n%{http_code}', ...Object.entries(f.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`])];
          const answer = await execa('curl', [...args, ...(f.body !== undefined ? ['--data-binary', carry(f.body)] : [])], { reject: false, stdin: 'ignore' });
          const text = String(answer.stdout);
          const status = Number(text.slice(text.lastIndexOf('\n') + 1));
          const body = text.slice(0, text.lastIndexOf('\n'));
          if (status !== f.status) return { ok: false, note: `curl -X ${f.method} ${new URL(f.url).pathname}: HTTP ${status} (the probe's: ${f.status})` };
          if (f.url.endsWith('/api/v1/chats/new')) {
            const old = (JSON.parse(f.responseText) as { id: string }).id;
            ids.set(old, (JSON.parse(body) as { id: string }).id);
          }
          if (!polling) break;
          const message = (JSON.parse(body) as { chat?: { history?: { messages?: Record<string, { done?: boolean; error?: unknown }> } } }).chat?.history?.messages?.[assistantId];
          if (message?.done || message?.error) break;
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      }
      return { ok: true };
    },
  };
}

/** One MCP SDK client per server the probe reached: connect, listTools, close. */
export function sdkListing(fetches: FetchRecord[], fetch: Fetch): BareRun {
  const servers = new Map<string, Record<string, string>>();
  const SESSION = ['mcp-session-id', 'mcp-protocol-version', 'content-type', 'accept', 'content-length'];
  for (const f of fetches) {
    if (f.method !== 'POST' || servers.has(f.url)) continue;
    servers.set(f.url, Object.fromEntries(Object.entries(f.headers).filter(([k]) => !SESSION.includes(k.toLowerCase()))));
  }
  return {
    describe: [...servers.keys()].map((url) => `MCP SDK connect + listTools ${url}`).join(' & '),
    async run() {
      const counts = await Promise.all([...servers].map(async ([url, headers]) => {
        const client = new Client({ name: 'bench-bare', version: '1' });
        await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch, requestInit: { headers } }));
        try {
          return (await client.listTools()).tools.length;
        } finally {
          await client.close();
        }
      }));
      return counts.every((n) => n > 0) ? { ok: true } : { ok: false, note: `tools listed per server: ${counts.join(', ')}` };
    },
  };
}
