/**
 * What a `codex exec` run means for `codex.invoke`: a completed call (with the expected text) is a
 * pass; otherwise the summary names why — Codex could not start the gateway entry, the tool was not
 * offered, the model never asked — and the fix.
 */
import type { ProbeStatus } from '../types.ts';
import { stderrLines, type CodexRun } from '../kit/codex-shared.ts';
import { resultText, type CodexItem, type RunEvents } from './events.ts';
import type { CodexInvokeFacts } from './facts.ts';

const RESULT_CAP = 2_000;

/** A client-matrix cell's status and note. */
export interface Cell {
  status: ProbeStatus;
  note: string;
}

export interface Verdict {
  status: ProbeStatus;
  summary: string;
  listing: Cell;
  /** The invocation cell; by default the verdict's status and summary. */
  invocation?: Cell;
}

/** The facts a verdict reads (host, tools offered) and writes (the tool call). */
export type JudgedFacts = Pick<CodexInvokeFacts, 'host' | 'toolsOffered' | 'toolCall'>;

export interface RunToJudge {
  /** Its facts; the tool call is added to them. */
  facts: JudgedFacts;
  /** The gateway entry's name in config.toml. */
  server: string;
  /** The tool as Codex names it: `<call.server>-<call.tool>`. */
  tool: string;
  /** The MCP server the call is for, as LiteLLM names it, and the text its result must contain. */
  callServer: string;
  expect?: string;
  run: CodexRun;
  events: RunEvents;
  url?: string;
  proxy?: string;
  keyEnvVar: string;
}

/** A verdict whose listing cell says the same as the summary. */
const same = (status: ProbeStatus, summary: string): Verdict => ({ status, summary, listing: { status, note: summary } });

export function judgeRun(input: RunToJudge): Verdict {
  return input.events.call ? judgeCall(input, input.events.call) : judgeNoCall(input);
}

/** Codex called the tool: did the call complete, with the expected text? */
function judgeCall(input: RunToJudge, call: CodexItem): Verdict {
  const { facts, server, tool } = input;
  const result = resultText(call);
  facts.toolCall = {
    server: call.server!,
    tool: call.tool!,
    arguments: call.arguments,
    status: call.status ?? '?',
    ...(call.result ? { result: result.length > RESULT_CAP ? `${result.slice(0, RESULT_CAP)}…` : result } : {}),
    ...(call.error?.message ? { error: call.error.message } : {}),
  };
  const listing: Cell = {
    status: 'pass',
    note: facts.toolsOffered ? `${facts.toolsOffered.length} tools offered in mcp__${server}, ${tool} among them` : `${tool} offered in mcp__${server}`,
  };
  const where = `${server} ${tool} via ${facts.host}`;
  if (call.status !== 'completed') {
    return { status: 'fail', summary: `Codex's call ${where} ${call.status}: ${call.error?.message ?? '(no error text)'}${callHint(call.error?.message ?? '', server, tool)}`, listing };
  }
  if (input.expect && !result.includes(input.expect)) {
    return { status: 'fail', summary: `Codex's call ${where} completed but the result lacks "${input.expect}": ${firstLine(result) || '(no text)'}`, listing };
  }
  return { status: 'pass', summary: `codex exec called ${where}: completed (${firstLine(result)})`, listing };
}

/** No call: Codex did not start the gateway entry, the tool was not offered, or the model never asked. */
function judgeNoCall(input: RunToJudge): Verdict {
  const { facts, server, tool, run, events } = input;
  const reason = startupReason(run.stderr) ?? events.failure?.error?.message ?? events.failure?.message;
  if (run.exitCode !== 0 || reason) {
    return same('fail',
      `codex exec exited ${run.exitCode ?? '?'} without calling ${tool}: ${reason ?? 'no reason printed (see stderr in the transcript)'}` +
        startupHint(reason ?? '', server, input.url, input.proxy, input.keyEnvVar));
  }
  const offered = facts.toolsOffered;
  if (offered && !offered.some((t) => t === tool || t === tool.replace(/[^A-Za-z0-9_]/g, '_'))) {
    return same('fail',
      `Codex did not offer ${tool} to the model (mcp__${server} offers ${offered.length} tools: ${offered.slice(0, 8).join(', ')}${offered.length > 8 ? ', …' : ''}); ` +
        `check x-mcp-servers names ${input.callServer} and that LiteLLM lists its tools (mcp.catalog)`);
  }
  const said = firstLine(events.messages.at(-1) ?? '');
  return {
    status: 'fail',
    summary: `the model made no call to ${tool}${said ? ` (it said: ${said})` : ''}; with a real model, make the prompt (probes."codex.invoke".prompt) ask for the call explicitly`,
    listing: offered
      ? { status: 'pass', note: `${offered.length} tools offered in mcp__${server}` }
      : { status: 'skip', note: 'unknown: the model made no call and listed no tools' },
  };
}

/** Codex's reason a required MCP server did not start, without the Rust type names. */
export function startupReason(stderr: string): string | undefined {
  const line = stderrLines(stderr).find((l) => l.includes('required MCP servers failed to initialize'));
  if (!line) return undefined;
  let reason = line.slice(line.indexOf('required MCP servers failed to initialize'));
  reason = reason.replace(/ \(code -?\d+\)\s*$/, '');
  reason = reason.replace(/Send message error Transport \[.*\] error: /, '');
  return reason.replace(/,\s*$/, '');
}

function startupHint(reason: string, server: string, url: string | undefined, proxy: string | undefined, keyEnvVar: string): string {
  const unset = /Environment variable (\w+) for MCP server/.exec(reason);
  if (unset) return `. Export ${unset[1]} (the gateway key) where Codex runs, or add ${unset[1]}=<key> to a secrets file listed in proofbook.config.yaml`;
  if (/HTTP (401|403)|HTTP 500: \{"error":"MCP request failed"/.test(reason)) {
    return `. The gateway refused the key: check that the variable named by bearer_token_env_var in [mcp_servers.${server}] holds a valid LiteLLM key ` +
      `(the master key is ${keyEnvVar}; LiteLLM 1.77.1 answers a wrong key with HTTP 500 "MCP request failed")`;
  }
  if (/error sending request|dns|Connection refused|connect/i.test(reason)) {
    return `. Codex cannot reach ${url ?? 'the url'}${proxy ? ` through ${proxy}` : ''}: check that the hostname resolves (or the host's resolveTo) and that Traefik listens there`;
  }
  if (/HTTP 404/.test(reason)) return `. Nothing serves MCP at ${url}: check the path (LiteLLM: /mcp/) and the Traefik router for the host`;
  return '';
}

function callHint(error: string, server: string, tool: string): string {
  if (/requires approval/.test(error)) return `. Set approve: true for codex.invoke, or approval_mode = "approve" under [mcp_servers.${server}.tools."${tool}"]`;
  return '';
}

function firstLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}
