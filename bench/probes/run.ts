/**
 * bench/probes, three parts (`--part lab|catalog|memory`, all by default):
 * 1. lab: a full refresh on a real lab (`refresh-docs` as `npm run demo` runs it: every probe,
 *    the evidence, the runbooks) vs its slowest probe run alone, side by side in one run,
 *    printed as a ratio (target ≤ 1.3×), with every probe's own time;
 * 2. catalog: listing a 1,000-tool catalog from an MCP SDK server on loopback: the mcp.catalog
 *    probe (paginating, recording every exchange, checking) vs a bare SDK client listTools loop;
 * 3. memory: the peak RSS of recording `mcp.catalog` in a child process (./record-child.ts: the
 *    runner, compare and the evidence store) against fault doubles of the gateway
 *    (tests/helpers/fault-gateway.ts): a 50 MB tool description (JSON, and as one SSE event) and an endless
 *    stream of notifications, next to the same child against a well-behaved double (the floor:
 *    Node and the code loaded) and the target of 150 MB.
 *
 *   npm run bench:probes [-- --rounds 2] [-- --part memory]
 */
import { parseArgs } from 'node:util';
import { benchCatalog } from './catalog.ts';
import { benchLab } from './lab.ts';
import { benchMemory } from './memory.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' }, part: { type: 'string', multiple: true } } });
const parts = values.part ?? ['lab', 'catalog', 'memory'];
if (parts.includes('lab')) await benchLab(Number(values.rounds));
if (parts.includes('catalog')) await benchCatalog();
if (parts.includes('memory')) await benchMemory();
