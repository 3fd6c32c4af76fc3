/** bench/probes, part 2: a 1,000-tool catalog from an MCP SDK server on loopback, mcp.catalog vs a bare SDK loop. */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { parseConfig } from '../../src/probes/config.ts';
import { createHttpClient } from '../../src/net/http-client.ts';
import { mcpCatalogProbe } from '../../src/probes/mcp-catalog/probe.ts';
import { runProbe } from '../../src/probes/context.ts';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const TOOL_COUNT = 1000;
const PAGE = 100;

export async function benchCatalog(): Promise<void> {
  const tools: Tool[] = Array.from({ length: TOOL_COUNT }, (_, i) => ({
    name: `bench-tool_${i}`,
    description: `Tool number ${i}`,
    inputSchema: { type: 'object', properties: { arg: { type: 'string' } } },
  }));
  const server: HttpServer = createServer(async (req, res) => {
    const mcp = new Server({ name: 'bench', version: '1' }, { capabilities: { tools: {} } });
    mcp.setRequestHandler(ListToolsRequestSchema, (request) => {
      const from = Number(request.params?.cursor ?? 0);
      const next = from + PAGE < TOOL_COUNT ? String(from + PAGE) : undefined;
      return { tools: tools.slice(from, from + PAGE), ...(next ? { nextCursor: next } : {}) };
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => void mcp.close());
    await mcp.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const doubleConfig = parseConfig(
      `gateway: { configFile: c.yaml, composeFile: d.yml, mcp: { servers: [bench], path: /mcp/ } }
hosts: [{ name: lan, url: "${url}" }]
probes: { mcp.catalog: { transports: [streamable-http] } }
`,
      '/tmp/bench.proofbook.config.yaml',
    );
    process.env.LITELLM_MASTER_KEY ??= 'sk-bench-key-not-a-secret';
    const http = createHttpClient(doubleConfig.hosts);
    const bare: number[] = [];
    const probe: number[] = [];
    let listed = 0;
    for (let round = 0; round < 5; round++) {
      let start = performance.now();
      const client = new Client({ name: 'bare', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL('/mcp/', url)));
      let cursor: string | undefined;
      let count = 0;
      do {
        const page = await client.listTools(cursor ? { cursor } : {});
        count += page.tools.length;
        cursor = page.nextCursor;
      } while (cursor);
      await client.close();
      bare.push(performance.now() - start);
      start = performance.now();
      const outcome = await runProbe(mcpCatalogProbe, { config: doubleConfig, http, secrets: [] }, new AbortController().signal);
      probe.push(performance.now() - start);
      listed = (outcome.facts as { toolCount?: number }).toolCount ?? count;
    }
    await http.close();
    console.log(`\na ${TOOL_COUNT}-tool catalog (${PAGE} per page) from an SDK server on loopback, 5 rounds (${listed} listed):`);
    console.log(`  bare SDK listTools loop   ${mean(bare).toFixed(0).padStart(6)} ms   1.00×`);
    console.log(`  mcp.catalog probe         ${mean(probe).toFixed(0).padStart(6)} ms   ${(mean(probe) / mean(bare)).toFixed(2)}×  (records every exchange, checks, diffs)`);
  } finally {
    server.close();
  }
}
