/**
 * mcp.catalog against a hostile gateway (issue 17), through the fault double of
 * tests/helpers/fault-gateway.ts (a test double for a fault: no gateway we run does this on
 * purpose): a tool description of megabytes is listed cut, the evidence says so with its size and
 * sha256, and a key the server echoed in it never reaches the evidence; a tools/list answered by
 * notifications that never end stops the probe once the recording is full, not at its deadline.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../../src/net/http-client.ts';
import { parseConfig } from '../../../../src/probes/config.ts';
import type { HttpExchange } from '../../../../src/probes/kit/recording-fetch.ts';
import { mcpCatalogProbe } from '../../../../src/probes/mcp-catalog/probe.ts';
import { FAULT_TOOL, startFaultGateway, type Fault, type FaultGateway } from '../../../helpers/fault-gateway.ts';
import { runProbe } from '../../../helpers/probe-context.ts';

const KEY = 'sk-hostile-0123456789abcdefghijklmnop';
let gateway: FaultGateway | undefined;
const saved = process.env.LITELLM_MASTER_KEY;
beforeEach(() => {
  delete process.env.LITELLM_MASTER_KEY;
});
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  if (saved !== undefined) process.env.LITELLM_MASTER_KEY = saved;
});

async function catalogAgainst(fault: Fault) {
  gateway = await startFaultGateway(fault);
  const config = parseConfig(
    `gateway: { configFile: c.yaml, composeFile: d.yml, mcp: { servers: [fault], path: /mcp/ } }
hosts: [{ name: lan, url: "${gateway.url}" }]
probes: { mcp.catalog: { transports: [streamable-http], timeoutMs: 120000 } }
`,
    '/ws/proofbook.config.yaml',
  );
  const http = createHttpClient(config.hosts);
  try {
    return await runProbe(mcpCatalogProbe, { config, http, secrets: [{ key: 'LITELLM_MASTER_KEY', value: KEY, file: '/ws/.env', line: 1 }] });
  } finally {
    await http.close();
  }
}

const toolsList = (transcript: unknown[]) =>
  (transcript as HttpExchange[]).find((e) => e.kind === 'http' && e.requestBody?.includes('"tools/list"'))!;

describe('mcp.catalog against a hostile gateway', () => {
  it('lists a tool whose description is 8 MB, records it cut with its size and sha256, and leaks no key echoed in it', async () => {
    // The key at the start, across the cut (64 KiB of JSON string) and deep inside; 1 MB pieces.
    const piece = (i: number) => {
      const filler = 'lorem ipsum '.repeat(90_000);
      return i === 0 ? `${KEY} ${filler.slice(0, 65_520 - KEY.length - 1)}${KEY} ${filler.slice(0, 900_000)}` : `${filler} ${KEY}`;
    };
    const outcome = await catalogAgainst({ kind: 'huge', mb: 8, description: piece });
    expect(outcome.status).toBe('pass');
    expect(outcome.facts.servers).toEqual([{ name: 'fault', tools: [FAULT_TOOL.slice('fault-'.length)], missingTools: [] }]);
    const exchange = toolsList(outcome.transcript);
    expect(exchange.truncated?.cutStrings).toBe(1);
    expect(exchange.truncated?.receivedBytes).toBeGreaterThan(8_000_000);
    expect(exchange.body).toMatch(/…\[\d{7} bytes truncated, sha256 [0-9a-f]{64}\]"/);
    const evidence = JSON.stringify(outcome);
    expect(evidence.length).toBeLessThan(200_000);
    expect(evidence).not.toContain(KEY.slice(0, 12));
  }, 60_000);

  it('stops waiting for tools/list once a stream of notifications fills the recording', async () => {
    const outcome = await catalogAgainst({ kind: 'endless' });
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toContain('1000 MCP messages and still no answer (POST /mcp/, waiting for tools/list)');
    // The optional notification stream the double does not offer (GET 405) is not what broke the session.
    // A status code as a word: the summary's URL carries a random port, which may hold the digits 405.
    expect(outcome.summary).not.toMatch(/\b405\b/);
    const exchange = toolsList(outcome.transcript);
    expect(exchange.sseEvents!.length).toBeLessThanOrEqual(1_000);
    expect(exchange.sseEvents![0]!.data).toContain('notifications/message');
  }, 60_000);
});
