/**
 * The child of bench/probes' memory rows: records one `mcp.catalog` run against `--url` (a fault
 * double, tests/helpers/fault-gateway.ts) with the real code of a refresh — the runner, the definition's
 * compare, the evidence store into a temporary folder — and prints its peak RSS as JSON.
 *
 *   node bench/probes/record-child.ts --url http://127.0.0.1:PORT
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../src/probes/config.ts';
import { loadProbes } from '../../src/probes/registry.ts';
import { runAndRecord } from '../../src/refresh/run-probes.ts';
import { Redactor } from '../../src/secrets/redactor.ts';

const { values } = parseArgs({ options: { url: { type: 'string' } } });
const root = await mkdtemp(path.join(tmpdir(), 'proofbook-bench-record-'));
try {
  const config = parseConfig(
    `runbooks: [docs]
gateway: { configFile: c.yaml, composeFile: d.yml, mcp: { servers: [fault], path: /mcp/ } }
hosts: [{ name: lan, url: "${values.url}" }]
probes: { mcp.catalog: { transports: [streamable-http] } }
`,
    path.join(root, 'proofbook.config.yaml'),
  );
  process.env.LITELLM_MASTER_KEY = 'sk-bench-key-not-a-secret';
  const started = performance.now();
  const [result] = await runAndRecord(await loadProbes(['mcp.catalog']), { config, secrets: [], redactor: new Redactor([]) });
  const durationMs = performance.now() - started;
  const transcriptBytes = (await readdir(path.join(config.evaluationDir, 'mcp.catalog'))).length
    ? (await readFile(path.join(config.evaluationDir, result!.evidence.transcript))).byteLength
    : 0;
  const status = await readFile('/proc/self/status', 'utf8');
  const peakKb = Number(/VmHWM:\s*(\d+)/.exec(status)?.[1] ?? process.resourceUsage().maxRSS);
  process.stdout.write(`${JSON.stringify({ peakRssMb: peakKb / 1024, status: result!.status, summary: result!.summary, durationMs, transcriptBytes })}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}
