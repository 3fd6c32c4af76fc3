/**
 * The code-server path of `vscode.list` and `vscode.invoke`: real VS Code observes the gateway.
 *
 * One run: code-server on a free loopback port with a temporary user-data-dir (settings: MCP tools
 * auto-approved, no telemetry or updates) and extensions dir holding the lab's extension
 * (lab/clients/vscode-extension), opening the team's workspace folder; headless Chromium opens
 * the workbench (code-server's extension host only runs for a connected browser); each
 * `${input:…}` password prompt is answered by typing the mapped value; the extension starts the
 * workspace's MCP servers, waits for their tools in `vscode.lm.tools`, makes the asked calls with
 * `vscode.lm.invokeTool` and writes its report, which is read back here. code-server runs inside
 * the hosts' resolution (a hosts file in a private mount namespace; NODE_EXTRA_CA_CERTS): its Node
 * process resolves the hosts' names itself. Everything started is stopped on every path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { PACKAGE_ROOT } from '../../package-root.ts';
import { DEFAULT_CHROMIUM, launchChromium } from '../kit/chromium.ts';
import { resolutionFor } from '../kit/host-resolution.ts';
import type { Host } from '../../config/schema.ts';
import type { ProbeContext } from '../types.ts';
import type { CodeServerOption } from './options.ts';
import type { VscodeProject } from './project.ts';

export const CODE_SERVER_VERSION = '4.139.1';
const EXTENSION_SOURCE = path.join(PACKAGE_ROOT, 'lab', 'clients', 'vscode-extension');
const EXTENSION_ID = 'proofbook.proofbook-mcp-report';
const LAB_BIN = path.join(PACKAGE_ROOT, '.tools', `code-server-${CODE_SERVER_VERSION}`, 'code-server');
const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
/**
 * As when VS Code is started from a shell (`code .`): its extension host gets the run's environment
 * as is. Otherwise code-server runs the user's login shell to read one (`bash -i -l`, every rc file:
 * proxies, CA variables, even the report's path could change, and it costs a shell per run).
 */
const STARTED_FROM_A_SHELL = { VSCODE_CLI: '1' };

/** What the lab's extension writes (lab/clients/vscode-extension/extension.js). */
export interface ExtensionReport {
  vscodeVersion?: string;
  tools: { name: string; server?: string }[];
  errors: string[];
  /** Each server's code lenses above it in mcp.json (VS Code's words: "Running", "15 tools", "Error"). */
  servers: { name: string; lenses: string[] }[];
  calls: { server: string; asked: string; tool?: string; content?: string[]; error?: string }[];
  steps?: string[];
}

export interface CodeServerRun {
  report: ExtensionReport;
  /** The command as the transcript shows it (no secrets: the key is typed at the prompt). */
  command: string[];
  resolution: string;
  shownEnv: Record<string, string>;
  /** Prompts answered, by their text (never the value). */
  prompts: string[];
  /** The MCP output channels VS Code showed (the extension opens a failing server's), as drawn. */
  outputs: string[];
  durationMs: number;
}

/** The code-server and Chromium to use, or undefined when the option leaves it to the fallback. */
export function codeServerSetup(option: CodeServerOption | undefined, rootDir: string): { bin: string; chromium: string } | undefined {
  if (option === undefined) return undefined;
  if (option === 'auto') return existsSync(LAB_BIN) && existsSync(DEFAULT_CHROMIUM) ? { bin: LAB_BIN, chromium: DEFAULT_CHROMIUM } : undefined;
  return { bin: option.bin ? path.resolve(rootDir, option.bin) : LAB_BIN, chromium: option.chromium ?? DEFAULT_CHROMIUM };
}

/** Thrown when code-server or the workbench did not come up: the probe errors with the log's path. */
export class CodeServerError extends Error {}

export interface CodeServerRequest {
  bin: string;
  chromium: string;
  /** Calls for the extension: through which server, the tool as the gateway names it (VS Code adds its own prefix), its arguments. */
  calls: { server: string; tool: string; arguments: Record<string, unknown> }[];
  timeoutMs: number;
}

export async function runCodeServer(context: ProbeContext, project: VscodeProject, request: CodeServerRequest, signal: AbortSignal): Promise<CodeServerRun> {
  const started = performance.now();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'proofbook-code-server-'));
  const log = path.join(scratch, 'code-server.log');
  const reportFile = path.join(scratch, 'report.json');
  const hosts = context.config.hosts.filter((h) => project.servers.some((s) => s.host === h.name));
  let server: ChildProcess | undefined;
  let browser: Promise<Browser> | undefined;
  let keepLog = true;
  try {
    // Chromium starts first, while code-server's folders are made and it boots: neither needs the
    // other until the page opens (in a refresh, loading Playwright alone takes seconds).
    // A page that lives for seconds: V8's top tier (TurboFan) would cost more CPU than it saves.
    browser = launchChromium(request.chromium, { args: ['--js-flags=--max-opt=2'] });
    browser.catch(() => {}); // its failure is met where it is awaited
    const { userDir, extensionsDir } = await prepareDirs(scratch);
    const resolution = await resolutionFor(context.config, hosts, 'auto', scratch, { client: 'VS Code', trust: 'node' });
    const port = await freePort();
    const args = [
      '--config', path.join(scratch, 'config.yaml'), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDir, '--extensions-dir', extensionsDir,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      '--enable-proposed-api', EXTENSION_ID, project.workspaceDir,
    ];
    const env = {
      ...process.env,
      ...resolution.env,
      PROOFBOOK_VSCODE_REPORT: reportFile,
      PROOFBOOK_VSCODE_CALLS: JSON.stringify(request.calls),
      PROOFBOOK_VSCODE_WAIT_MS: String(Math.max(5_000, request.timeoutMs - 20_000)),
      ...STARTED_FROM_A_SHELL,
      // VS Code's IPC sockets (vscode-ipc-*, vscode-git-*) outlive a stopped code-server: made in the scratch folder, they go with it.
      TMPDIR: scratch,
    };
    const trust = resolution.wrapper ? await systemStoreMount(context, hosts, scratch) : [];
    const [file, ...rest] = [...(resolution.wrapper ?? []), ...trust, request.bin, ...args];
    const out = openSync(log, 'a');
    server = spawn(file!, rest, { env, detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    const exited = new Promise<string>((resolve) => {
      server!.once('error', (error) => resolve(`cannot start ${request.bin}: ${error.message}`));
      server!.once('exit', (code, sig) => resolve(`code-server exited (${sig ?? `code ${code}`})`));
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(request.timeoutMs)]);
    await race(waitHealthy(base, deadline), exited, log);
    const { prompts, outputs } = await race(browser.then((b) => driveWorkbench(b, `${base}/?folder=${encodeURIComponent(project.workspaceDir)}`, reportFile, project, deadline)), exited, log);
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as ExtensionReport;
    keepLog = false;
    return {
      report: { ...report, tools: report.tools ?? [], servers: report.servers ?? [], errors: report.errors ?? [], calls: report.calls ?? [] },
      command: ['code-server', ...args.map((a) => a.replace(scratch, '<temporary>'))],
      resolution: resolution.description,
      shownEnv: {
        ...resolution.shownEnv,
        ...(trust.length ? { [SYSTEM_BUNDLE]: `(in the namespace: the system bundle, then ${hosts.filter((h) => h.caFile && h.url.startsWith('https:')).map((h) => `hosts.${h.name}.caFile`).join(', ')})` } : {}), PROOFBOOK_VSCODE_REPORT: '<temporary>/report.json', PROOFBOOK_VSCODE_CALLS: JSON.stringify(request.calls), ...STARTED_FROM_A_SHELL },
      prompts,
      outputs,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await browser?.then((b) => b.close()).catch(() => {});
    if (server?.pid) await stopGroup(server);
    // A failed run keeps its log; debugging (PROOFBOOK_CODE_SERVER_SHOTS, docs/development.md) keeps the whole scratch folder, VS Code's own logs included.
    if (!process.env.PROOFBOOK_CODE_SERVER_SHOTS) await rm(keepLog ? path.join(scratch, 'user') : scratch, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * VS Code's fetch trusts the system's CA store (it passes it to Node as the only CAs, so
 * NODE_EXTRA_CA_CERTS alone is not enough): inside the private mount namespace, the system bundle
 * with the hosts' CA files appended is bind-mounted over it — as a member installs the team's CA.
 */
async function systemStoreMount(context: ProbeContext, hosts: Host[], scratch: string): Promise<string[]> {
  const caFiles = hosts.filter((h) => h.caFile && h.url.startsWith('https:')).map((h) => path.resolve(context.config.rootDir, h.caFile!));
  if (!caFiles.length || !existsSync(SYSTEM_BUNDLE)) return [];
  const bundle = path.join(scratch, 'system-ca.pem');
  await writeFile(bundle, (await Promise.all([SYSTEM_BUNDLE, ...caFiles].map((f) => readFile(f, 'utf8').catch(() => '')))).join('\n'));
  return ['sh', '-c', `mount --bind "$0" ${SYSTEM_BUNDLE} && exec "$@"`, bundle];
}

async function prepareDirs(scratch: string): Promise<{ userDir: string; extensionsDir: string }> {
  const userDir = path.join(scratch, 'user');
  const extensionsDir = path.join(scratch, 'extensions');
  await mkdir(path.join(userDir, 'User'), { recursive: true, mode: 0o700 });
  await writeFile(path.join(scratch, 'config.yaml'), ''); // not the user's ~/.config/code-server/config.yaml
  // The lab's extension installed by copying its folder, as VS Code lays out an installed one.
  await cp(EXTENSION_SOURCE, path.join(extensionsDir, `${EXTENSION_ID}-1.0.0`), { recursive: true });
  const settings = {
    'chat.tools.global.autoApprove': true, // LiteLLM's tools would otherwise wait for a confirmation click
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    // Two built-ins that start with every window and have no part in MCP (VS Code's MCP client is
    // the workbench's own): Copilot's extension, which activates at startup only to ask for a
    // sign-in, and git, which scans the folder. Off, a run takes about 2 s less CPU and 1 s less wall.
    'chat.disableAIFeatures': true,
    'git.enabled': false,
  };
  await writeFile(path.join(userDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return { userDir, extensionsDir };
}

/** Whichever comes first; code-server's exit becomes an error naming the log. */
async function race<T>(work: Promise<T>, exited: Promise<string>, log: string): Promise<T> {
  const failed = exited.then((why) => Promise.reject(new CodeServerError(`${why}; see ${log}`)));
  failed.catch(() => {});
  try {
    return await Promise.race([work, failed]);
  } catch (error) {
    if (error instanceof CodeServerError) throw error;
    throw new CodeServerError(`${error instanceof Error ? error.message : String(error)}; see ${log}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base: string, signal: AbortSignal): Promise<void> {
  for (;;) {
    signal.throwIfAborted();
    const ok = await fetch(`${base}/healthz`, { signal }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Opens the workbench and answers each password prompt with its input's value (matched by the
 * prompt's text against the inputs' descriptions; a single input needs no match) until the
 * extension's report exists. Returns the prompts answered.
 */
async function driveWorkbench(browser: Browser, url: string, reportFile: string, project: VscodeProject, signal: AbortSignal): Promise<{ prompts: string[]; outputs: string[] }> {
  const prompts: string[] = [];
  // Each channel as last read (a channel shown again, or while calls log to it, is read again: it has grown).
  const outputs = new Map<string, string>();
  const read = new Set<string>();
  try {
    // Uncompressed over loopback: code-server would gzip its 19 MB workbench.js on every load, and Chromium unzip it.
    const page = await browser.newPage({ extraHTTPHeaders: { 'accept-encoding': 'identity' } });
    await page.goto(url, { timeout: 30_000 });
    const box = page.locator('.quick-input-widget input[type="password"]');
    const dialog = page.locator('.monaco-dialog-box');
    let shot = 0;
    while (!existsSync(reportFile)) {
      signal.throwIfAborted();
      if (process.env.PROOFBOOK_CODE_SERVER_SHOTS && shot++ % 20 === 0) await page.screenshot({ path: path.join(process.env.PROOFBOOK_CODE_SERVER_SHOTS, `${path.basename(path.dirname(reportFile))}-${shot}.png`) }).catch(() => {});
      if (await box.isVisible().catch(() => false)) {
        const text = (await page.locator('.quick-input-widget').innerText().catch(() => '')).trim();
        const value = inputValueFor(project, text);
        // A prompt no mapped input answers is dismissed, as by a member who has no key: VS Code then says what that does.
        if (value === undefined) await box.press('Escape');
        else {
          await box.fill(value);
          await box.press('Enter');
        }
        prompts.push(`${value === undefined ? 'dismissed' : 'answered'}: ${text.split('\n')[0] ?? ''}`);
        await page.waitForTimeout(300);
      } else if (await dialog.isVisible().catch(() => false)) {
        const text = (await dialog.innerText().catch(() => '')).trim();
        await answerDialog(dialog, text, prompts);
        await page.waitForTimeout(300);
      } else {
        const output = await page.locator('.output-view .view-lines').innerText({ timeout: 200 }).catch(() => '');
        const server = channelServer(output);
        if (output.trim()) outputs.set(server ?? output, output);
        // The extension shows each server's channel until it is read: say so, and it shows the next.
        if (server && !read.has(server)) {
          read.add(server);
          await appendFile(`${reportFile}.read`, `${server}\n`);
        }
        await page.waitForTimeout(250);
      }
    }
    return { prompts, outputs: [...outputs.values()] };
  } catch (error) {
    if (signal.aborted) {
      const steps = await readFile(`${reportFile}.steps`, 'utf8').catch(() => 'the extension did not start');
      throw new Error(`the workbench did not report within the timeout (prompts and dialogs: ${JSON.stringify(prompts)}; the extension's last step: ${steps.split('\n').at(-1)})`);
    }
    throw error;
  }
}

/** The server whose MCP output channel this is, as the output view draws it (spaces as no-break spaces). */
export function channelServer(drawn: string): string | undefined {
  return /Starting server ([^\n]+)/.exec(drawn.replace(/\u00a0/g, ' '))?.[1]?.trim() || undefined;
}

/**
 * The dialogs a member answers on the way: the confirmation of `chat.tools.global.autoApprove`
 * (set by the run's settings: LiteLLM's tools would each wait for a click) and an MCP server trust
 * question. Any other dialog is recorded and left open: what it blocks shows as the timeout.
 */
async function answerDialog(dialog: Locator, text: string, prompts: string[]): Promise<void> {
  const title = text.split('\n').find((line) => /\w{3}/.test(line) && !/^(Enable|Disable|Cancel|Trust.*)$/.test(line.trim()))?.trim() ?? text;
  const button = /auto approve/i.test(text) ? /^Enable$/ : /trust/i.test(text) ? /^Trust/ : undefined;
  if (!prompts.includes(`dialog: ${title}`)) prompts.push(`dialog: ${title}`);
  if (button) await dialog.getByRole('button', { name: button }).first().click({ timeout: 5_000 }).catch(() => {});
}

function inputValueFor(project: VscodeProject, promptText: string): string | undefined {
  const values = project.variables.inputValues;
  const ids = Object.keys(values);
  if (ids.length === 1) return values[ids[0]!];
  const input = project.file.inputs.find((i) => i.description && promptText.includes(i.description) && values[i.id] !== undefined);
  return input ? values[input.id] : undefined;
}

/** SIGTERM to code-server's process group (its extension host, watchers), SIGKILL if it lingers. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 3_000);
  await gone;
  clearTimeout(timer);
  kill('SIGKILL'); // anything of the group that ignored SIGTERM after the leader left
}
