/**
 * What a `claude -p` run means for `claude.invoke`, per host: a tool_result with the expected
 * text is a pass; otherwise the summary says why — Claude Code could not connect to the entry
 * (with the reason from its debug log), did not offer the tool, the model never asked, the call
 * returned an error or lacked the text — and the fix. LiteLLM 1.77.1 reports an upstream tool
 * error with `isError: false`, so the expected text is what tells a real result from an error.
 */
import type { ClientMatrixCell, ProbeStatus } from '../types.ts';
import type { RunEvents } from './events.ts';
import type { ClaudeInvokeRunFacts } from './facts.ts';

const RESULT_CAP = 2_000;

export interface Cell {
  status: ProbeStatus;
  note: string;
}

export interface HostVerdict {
  status: ProbeStatus;
  summary: string;
  listing: Cell;
  invocation: Cell;
}

const same = (status: ProbeStatus, summary: string): HostVerdict => ({ status, summary, listing: { status, note: summary }, invocation: { status, note: summary } });

export function judgeRun(run: ClaudeInvokeRunFacts, events: RunEvents, expect: string | undefined, exitCode: number | undefined): HostVerdict {
  const where = `${run.server} (${run.host})`;
  if (events.serverStatus !== 'connected') {
    const status = events.serverStatus ?? 'not started';
    return same('fail', `Claude Code did not connect to ${where}: ${status}${run.serverError ? ` — ${run.serverError}` : ''}; claude.list shows its reason and the fix`);
  }
  const offered = events.toolsOffered ?? [];
  const short = run.tool.slice(`mcp__${run.server}__`.length);
  const listing: Cell = { status: 'pass', note: `claude -p: ${where} connected, ${offered.length} tools offered, ${short} among them` };
  if (!offered.includes(short)) {
    return same('fail', `Claude Code connected to ${where} but offers no ${short} (it offers ${offered.length}: ${offered.slice(0, 8).join(', ')}${offered.length > 8 ? ', …' : ''}); check x-mcp-servers and that LiteLLM lists the tool (mcp.catalog)`);
  }
  const call = events.call;
  if (!call) {
    const said = firstLine(events.error ?? events.messages.at(-1) ?? '');
    const summary = events.error
      ? `claude -p exited ${exitCode ?? '?'} before any call: ${said}; check the model (ANTHROPIC_BASE_URL and its key)`
      : `the model made no call to ${run.tool}${said ? ` (it said: ${said})` : ''}; with a real model, make the prompt (probes."claude.invoke".prompt) ask for the call explicitly`;
    return { status: 'fail', summary, listing, invocation: { status: 'fail', note: summary } };
  }
  const result = events.result;
  run.toolCall = {
    name: call.name,
    input: call.input,
    isError: result?.isError ?? false,
    ...(result ? { result: result.text.length > RESULT_CAP ? `${result.text.slice(0, RESULT_CAP)}…` : result.text } : {}),
  };
  const fail = (summary: string): HostVerdict => ({ status: 'fail', summary, listing, invocation: { status: 'fail', note: summary } });
  if (!result) return fail(`Claude Code called ${run.tool} through ${where} but reported no result (see the events in the transcript)`);
  if (result.isError) return fail(`Claude Code's call of ${short} through ${where} returned an error: ${firstLine(result.text)}`);
  if (expect && !result.text.includes(expect)) return fail(`Claude Code's call of ${short} through ${where} returned no "${expect}": ${firstLine(result.text) || '(no text)'}`);
  const summary = `claude -p called ${short} through ${where}: ${firstLine(result.text)}`;
  return { status: 'pass', summary, listing, invocation: { status: 'pass', note: summary } };
}

/** The cells of one host's verdict. */
export function cellsOf(host: string, verdict: HostVerdict, shorten: (text: string) => string): ClientMatrixCell[] {
  return [
    { client: 'claude', host, aspect: 'listing', status: verdict.listing.status, note: shorten(verdict.listing.note) },
    { client: 'claude', host, aspect: 'invocation', status: verdict.invocation.status, note: shorten(verdict.invocation.note) },
  ];
}

/** The reason Claude Code's debug log gives for the entry's failed connection. */
export function debugReason(debugLog: string, server: string): string | undefined {
  const marker = `MCP server "${server}"`;
  const line = debugLog.split('\n').filter((l) => l.includes(marker) && /failed|error/i.test(l)).at(-1);
  return line?.slice(line.indexOf(marker) + marker.length).replace(/^[:\s]+/, '').trim();
}

function firstLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}
