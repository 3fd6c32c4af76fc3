// Lab extension for Proofbook's code-server path (see package.json). Observes, never assumes:
// starts the workspace's MCP servers as the "Start Server" action does, waits for their tools to
// show in vscode.lm.tools, writes what VS Code lists, then (if asked) calls one tool with
// vscode.lm.invokeTool and writes its result. The report is written once, at the end, by rename.
// Environment: PROOFBOOK_VSCODE_REPORT (the report file; without it the extension does nothing;
// the probe names the output channels it has read in the same path + `.read`),
// PROOFBOOK_VSCODE_CALLS (JSON [{server, tool, arguments}]), PROOFBOOK_VSCODE_WAIT_MS.
'use strict';
const fs = require('node:fs');
const vscode = require('vscode');

const REPORT = process.env.PROOFBOOK_VSCODE_REPORT;
const WAIT_MS = Number(process.env.PROOFBOOK_VSCODE_WAIT_MS || 60000);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const message = (error) => (error && error.message) || String(error);

/** MCP tools as VS Code lists them: name, and the server it came from when the API says. */
function mcpTools() {
  return vscode.lm.tools
    .filter((tool) => (tool.tags || []).includes('mcp') || tool.name.startsWith('mcp_'))
    .map((tool) => ({ name: tool.name, server: tool.source && tool.source.label }));
}

async function start(report) {
  try {
    // The "Start Server" action's command: every server ('*'), waiting until its tools are live.
    await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true, autoTrustChanges: true });
  } catch (error) {
    report.errors.push(`workbench.mcp.startServer: ${message(error)}`);
  }
}

/** One call through one server: the tool VS Code lists from that server whose name ends with the asked one. */
async function invoke(report, call) {
  const tool = vscode.lm.tools.find((t) => t.source && t.source.label === call.server && (t.name === call.tool || t.name.endsWith(`_${call.tool}`)));
  const entry = { server: call.server, asked: call.tool, tool: tool && tool.name };
  report.calls.push(entry);
  if (!tool) return (entry.error = `VS Code lists no tool ${call.tool} from ${call.server}`);
  try {
    const result = await vscode.lm.invokeTool(tool.name, { input: call.arguments || {}, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
    entry.content = result.content.map((part) => (typeof part.value === 'string' ? part.value : JSON.stringify(part)));
  } catch (error) {
    entry.error = message(error);
  }
}

/** Each server's code lens titles, with the arguments of its "show output" lens. */
async function lensesByServer(withOutput) {
  const files = await vscode.workspace.findFiles('.vscode/mcp.json', null, 1);
  if (!files.length) return [];
  const document = await vscode.workspace.openTextDocument(files[0]);
  const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', document.uri, 100)) || [];
  const byServer = new Map();
  for (const lens of lenses) {
    if (!lens.command) continue;
    const name = (/"([^"]+)"\s*:/.exec(document.lineAt(lens.range.start.line).text) || [])[1];
    if (!name) continue;
    if (!byServer.has(name)) byServer.set(name, []);
    const title = lens.command.title.replace(/\$\([^)]*\)\s*/g, '').trim();
    if (title) byServer.get(name).push(title);
    if (withOutput && lens.command.command === 'workbench.mcp.showOutput') withOutput.set(name, lens.command.arguments);
  }
  return [...byServer];
}

/** Each server's state as VS Code shows it above the server in .vscode/mcp.json (its code lenses: e.g. "Running", "14 tools", "Error"). */
async function serverStates(report) {
  const outputs = new Map();
  for (const [name, lenses] of await lensesByServer(outputs)) report.servers.push({ name, lenses });
  return outputs;
}

/** Whether the probe has read a server's output channel: it names each one it read, a line each, in `${REPORT}.read`. */
function readByProbe(name) {
  try {
    return fs.readFileSync(`${REPORT}.read`, 'utf8').split('\n').includes(name);
  } catch {
    return false;
  }
}

/**
 * Each server's output channel, shown in turn until the probe has read it from the workbench (it
 * says so: readByProbe) — at most 1.2 s, so a probe that reads nothing does not hold the run.
 */
async function showOutputs(outputs, step) {
  for (const [name, args] of outputs) {
    step(`showing output of ${name}`);
    await vscode.commands.executeCommand('workbench.mcp.showOutput', ...args);
    const until = Date.now() + 1200;
    let read = readByProbe(name);
    while (!read && Date.now() < until) {
      await sleep(50);
      read = readByProbe(name);
    }
    step(read ? `output of ${name} read` : `output of ${name} shown, not read`);
  }
}

exports.activate = async function activate() {
  if (!REPORT) return;
  const report = { vscodeVersion: vscode.version, servers: [], tools: [], errors: [], calls: [], steps: [] };
  const begun = Date.now();
  const step = (what) => {
    report.steps.push(`${Date.now() - begun} ms: ${what}`);
    fs.writeFileSync(`${REPORT}.steps`, report.steps.join('\n')); // read by the probe when the report never comes
  };
  try {
    step(`definitions: ${JSON.stringify((vscode.lm.mcpServerDefinitions || []).map((d) => d.label))}`);
    // The workbench may not know the workspace's servers yet when this activates: start again
    // while a server's code lens still offers "Start" (stopped) or says it is starting.
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      await start(report);
      const states = await lensesByServer();
      const pending = states.filter(([, lenses]) => lenses.some((l) => l === 'Start' || l.startsWith('Starting')));
      if ((states.length && !pending.length) || Date.now() > deadline) break;
      step(`not started yet: ${states.length ? pending.map(([name]) => name).join(', ') : 'no server shown'}`);
      await sleep(1000);
    }
    // Tools reach vscode.lm.tools a moment after the servers are live.
    const settle = Math.min(deadline, Date.now() + 10000);
    while (Date.now() < settle && mcpTools().length === 0) await sleep(250);
    report.tools = mcpTools();
    step(`started; ${report.tools.length} MCP tools`);
    const outputs = await serverStates(report);
    step('states read');
    const calls = process.env.PROOFBOOK_VSCODE_CALLS ? JSON.parse(process.env.PROOFBOOK_VSCODE_CALLS) : [];
    // The calls go through different servers, as a member's agent may make them: at once, and
    // while the outputs are shown (nothing waits on the other; the outputs then also show the calls).
    await Promise.all([
      showOutputs(outputs, step),
      ...calls.map(async (call) => {
        step(`invoking ${call.tool} through ${call.server}`);
        await invoke(report, call);
        step(`answered: ${call.tool} through ${call.server}`);
      }),
    ]);
  } catch (error) {
    report.errors.push(message(error));
  } finally {
    step('done');
    fs.writeFileSync(`${REPORT}.partial`, JSON.stringify(report, null, 2));
    fs.renameSync(`${REPORT}.partial`, REPORT);
  }
};

exports.deactivate = function deactivate() {};
