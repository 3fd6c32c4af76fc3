/**
 * A fault double of the gateway's MCP endpoint (plain node:http, streamable HTTP, JSON-RPC by
 * hand): it answers `initialize` like a server would, then misbehaves on `tools/list`, as a
 * hostile or broken gateway can:
 *   - `huge`: one tool whose description is `mb` MB (JSON, or one SSE event with `sse`);
 *   - `endless`: tools/list is answered with an SSE stream of notifications that never ends.
 * A test double for a fault (no real gateway does this on purpose); used by bench/probes (memory
 * rows) and the unit tests of bounded recording.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = { kind: 'huge'; mb: number; sse?: boolean; description?: (piece: number) => string } | { kind: 'endless' };

export interface FaultGateway {
  url: string;
  close(): Promise<void>;
}

/** The tool name the double lists (LiteLLM's `<server>-<tool>`), so the probe finds server `fault`. */
export const FAULT_TOOL = 'fault-describe';

export async function startFaultGateway(fault: Fault): Promise<FaultGateway> {
  const server: Server = createServer((req, res) => void answer(fault, req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: number | string; method: string };
  if (message.id === undefined) {
    res.writeHead(202).end();
    return;
  }
  if (message.method === 'initialize') {
    json(res, { jsonrpc: '2.0', id: message.id, result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'fault-double', version: '1' } } });
    return;
  }
  if (message.method !== 'tools/list') {
    json(res, { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'not here' } });
    return;
  }
  if (fault.kind === 'endless') return notifyForever(res);
  await sendHuge(res, message.id, fault);
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** One tool with an `mb` MB description (`description(i)` gives each piece as JSON string text; default 1 MB of x), written piece by piece. */
async function sendHuge(res: ServerResponse, id: number | string, fault: Extract<Fault, { kind: 'huge' }>): Promise<void> {
  const head = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"tools":[{"name":"${FAULT_TOOL}","inputSchema":{"type":"object"},"description":"`;
  const tail = '"}]}}';
  res.writeHead(200, { 'content-type': fault.sse ? 'text/event-stream' : 'application/json' });
  const filler = 'x'.repeat(1024 * 1024);
  const write = (text: string) => (res.write(text) ? Promise.resolve() : new Promise<void>((resolve) => res.once('drain', () => resolve())));
  await write(`${fault.sse ? 'event: message\ndata: ' : ''}${head}`);
  for (let i = 0; i < fault.mb; i++) await write(fault.description?.(i) ?? filler);
  res.end(`${tail}${fault.sse ? '\n\n' : ''}`);
}

/** Notifications as fast as the socket takes them, never the answer. */
function notifyForever(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const event = `event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x'.repeat(400) } })}\n\n`;
  const burst = event.repeat(100);
  const send = () => {
    while (!res.destroyed && res.write(burst)) {
      /* as fast as the socket takes it */
    }
    if (!res.destroyed) res.once('drain', send);
  };
  send();
}
