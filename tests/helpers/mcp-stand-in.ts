/**
 * A stand-in for the gateway in unit tests of the client probes: streamable HTTP MCP (the MCP SDK,
 * stateless) with LiteLLM's tool name `mcp_postgres-query`, answering a key other than `key` as
 * LiteLLM 1.77.1 does (HTTP 500 `{"error":"MCP request failed"}`). It lets the real clients
 * (Claude Code) run without a lab; the real gateway is in the e2e tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export interface McpStandIn {
  port: number;
  close(): Promise<void>;
}

/** A further tool the stand-in lists: its name (hostile ones too) and what a call returns. */
export interface StandInTool {
  name: string;
  text: string;
  isError?: boolean;
}

/**
 * `beforeCall`: awaited before a call of `mcp_postgres-query` is answered (a test that needs calls
 * to overlap holds them there); `address`: the loopback address it listens on (another host name).
 */
export async function startMcpStandIn(key: string, tools: StandInTool[] = [], beforeCall?: () => Promise<void>, address = '127.0.0.1'): Promise<McpStandIn> {
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const sent = req.headers['x-litellm-api-key'] ?? req.headers.authorization;
    if (sent !== `Bearer ${key}`) {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"MCP request failed"}');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const mcp = new McpServer({ name: 'stand-in-gateway', version: '1' });
    mcp.registerTool('mcp_postgres-query', { description: 'Run a read-only SQL query', inputSchema: { sql: z.string() } }, async () => {
      await beforeCall?.();
      return { content: [{ type: 'text', text: '[\n  {\n    "?column?": 1\n  }\n]' }] };
    });
    for (const tool of tools) {
      mcp.registerTool(tool.name, { description: 'stand-in tool' }, async () => ({ content: [{ type: 'text', text: tool.text }], ...(tool.isError ? { isError: true } : {}) }));
    }
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body ? JSON.parse(body) : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
