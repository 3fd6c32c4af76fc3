/**
 * bench/init: `proofbook init`'s planning (detect, decide which documents are about the gateway,
 * propose regions, bind plan items, the starter config; nothing written) over 1,000 realistic
 * runbooks, against what reading them costs at the least — a plain remark parse of the same files.
 *
 *   npm run bench:init [-- --count 1000 --runs 3]
 *
 * Prints both times (best of `runs`) and their ratio. Target (issue 15): ≤ 1.2×, i.e. init parses
 * each document once and its own work costs less than a fifth of that parse.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { planInit } from '../../src/init/init.ts';
import { PROBE_IDS } from '../../src/probes/registry.ts';
import { writeCorpus } from '../corpus.ts';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' }, runs: { type: 'string', default: '3' } } });
const count = Number(values.count);
const runs = Number(values.runs);

/** The gateway the corpus is about: LiteLLM's config and the compose file that routes to it. */
const CONFIG_YAML = 'model_list: []\nmcp_servers:\n  mcp_postgres: {transport: stdio, command: mcp-server-postgres}\n  mcp_filesystem: {transport: stdio, command: mcp-server-filesystem}\n';
const COMPOSE_YAML = `services:
  litellm:
    image: ghcr.io/berriai/litellm:main-v1.77.1
    labels:
      - "traefik.enable=true"
      - "traefik.http.routers.litellm-lan.rule=Host(\`litellm.linuxserver.lan\`)"
      - "traefik.http.routers.litellm-lan.entrypoints=web"
      - "traefik.http.services.litellm.loadbalancer.server.port=4000"
`;

/** Runs each contender `runs` times, alternating (a busy machine slows both alike), and keeps each one's best. */
async function bestOf<A, B>(a: () => Promise<A>, b: () => Promise<B>): Promise<[{ ms: number; value: A }, { ms: number; value: B }]> {
  let bestA: { ms: number; value: A } | undefined;
  let bestB: { ms: number; value: B } | undefined;
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    const valueA = await a();
    const msA = performance.now() - start;
    if (!bestA || msA < bestA.ms) bestA = { ms: msA, value: valueA };
    start = performance.now();
    const valueB = await b();
    const msB = performance.now() - start;
    if (!bestB || msB < bestB.ms) bestB = { ms: msB, value: valueB };
  }
  return [bestA!, bestB!];
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-bench-init-'));
try {
  const files = await writeCorpus(path.join(dir, 'runbooks'), count);
  await mkdir(path.join(dir, 'gateway'), { recursive: true });
  await writeFile(path.join(dir, 'gateway', 'config.yaml'), CONFIG_YAML);
  await writeFile(path.join(dir, 'gateway', 'docker-compose.yml'), COMPOSE_YAML);
  const bytes = (await Promise.all(files.map((f) => readFile(f)))).reduce((n, b) => n + b.length, 0);

  // Baseline: read every runbook and parse it once with remark (micromark + GFM), as anything that reads Markdown must.
  const processor = unified().use(remarkParse).use(remarkGfm);
  const [parse, init] = await bestOf(
    async () => {
      let nodes = 0;
      for (const file of files) nodes += processor.parse(await readFile(file, 'utf8')).children.length;
      return nodes;
    },
    () => planInit({ root: dir, probeIds: PROBE_IDS }),
  );
  const plan = init.value;
  const about = plan.docs.filter((d) => d.about).length;

  console.log(`corpus: ${count} runbooks, ${(bytes / 1e6).toFixed(1)} MB (${dir}); best of ${runs} alternating runs`);
  console.log(`remark parse of every file (baseline) ${parse.ms.toFixed(0).padStart(7)} ms   1.00×`);
  console.log(
    `proofbook init (plan, nothing written)  ${init.ms.toFixed(0).padStart(7)} ms   ${(init.ms / parse.ms).toFixed(2)}×   ` +
      `${about} of ${plan.docs.length} docs about the gateway, ${plan.regions.length} regions, ${plan.bound.length} bound, ${plan.unbound.length} not bound (target ≤ 1.2×)`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
