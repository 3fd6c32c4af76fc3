/**
 * `proofbook init` on a realistic hand-written runbook set (tests/fixtures/adopt/, modelled on
 * the team's plan and runbooks: tables, emoji, nested lists, <details>, <br>, code fences, front
 * matter, a plan with phases, ✅/⚠️ lines and checkboxes): the dry run writes nothing, `--yes`
 * inserts markers and writes the config, and the first refresh changes nothing but what
 * Proofbook owns — the marked regions, the status of the items init bound, and `Last Updated`
 * dates — while a second refresh changes nothing at all.
 *
 * No live lab: the static probes (traefik.labels, gateway.config, secrets.audit) really run on
 * the fixture's own files; mcp.catalog and a client probe's matrix cells are recorded evidence
 * (written by the real evidence store), the offline path of tests/helpers/offline-workspace.ts.
 */
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main as initMain, type InitReport } from '../../../src/cli/init.ts';
import { main as proofbook } from '../../../src/cli/proofbook.ts';
import { main as refreshDocs, type RefreshJson } from '../../../src/cli/refresh-docs.ts';
import { ConfigError, loadConfig, parseConfig } from '../../../src/probes/config.ts';
import { writeEvidence } from '../../../src/evidence/store.ts';
import { bindItems } from '../../../src/init/bind-items.ts';
import { proposeRegions } from '../../../src/init/propose-regions.ts';
import { addBindings } from '../../../src/init/write-config.ts';
import { PROBE_IDS } from '../../../src/probes/registry.ts';
import { findRegions } from '../../../src/rewrite/regions.ts';
import { Redactor } from '../../../src/secrets/redactor.ts';
import { mask, owned, snapshot } from '../../helpers/outside-regions.ts';

const FIXTURE = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'adopt');
const DOCS = ['projects/claude/CLAUDE.md', 'projects/litellm/CLAUDE.md', 'projects/litellm/CODEXMCP.md', 'projects/litellm/MCP-INTEGRATION-STATUS.md'];

async function run(main: (o: { argv: string[]; stdout: (l: string) => void; stderr: (l: string) => void }) => Promise<number>, argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main({ argv, stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, out: stdout.join('\n'), err: stderr.join('\n') };
}

describe('proofbook init on a hand-written runbook set', () => {
  let dir: string;
  let configPath: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-adopt-'));
    await cp(FIXTURE, dir, { recursive: true });
    configPath = path.join(dir, 'proofbook.config.yaml');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The real secrets files, as they exist on the gateway host (git-ignored there). */
  async function writeSecrets(): Promise<void> {
    for (const name of ['litellm.env', 'mcp-postgres.env']) {
      const example = await readFile(path.join(dir, 'secrets', `${name}.example`), 'utf8');
      const real = example.replace(/=(.*)$/gm, (_, v: string) => `=${v.includes('<') ? `test-${name}-${v.length}-value` : v}`);
      await writeFile(path.join(dir, 'secrets', name), real);
      await chmod(path.join(dir, 'secrets', name), 0o600);
    }
  }

  it('shows everything as a diff first and writes nothing (the default, and --dry-run)', async () => {
    const before = await snapshot(dir);
    const started = performance.now();
    const plain = await run(proofbook, ['init', dir]);
    const ms = Math.round(performance.now() - started);
    console.info(`init --dry-run on the fixture set (${DOCS.length} docs): ${ms} ms`);
    expect(plain.code, plain.err).toBe(0);
    expect(plain.out).toContain('--- a/projects/litellm/CLAUDE.md');
    expect(plain.out).toContain('+<!-- proofbook:start traefik.labels -->');
    expect(plain.out).toContain('--- /dev/null\n+++ b/proofbook.config.yaml');
    expect(plain.out).toMatch(/Bound plan items \(\d+\):/);
    expect(plain.out).toMatch(/Not bound \(\d+\):/);
    expect(plain.out).toContain('nothing written. Run again with --yes to write.');
    const dry = await run(proofbook, ['init', '--dry-run', dir]);
    expect(dry.code).toBe(0);
    expect(dry.out).toBe(plain.out);
    expect(await snapshot(dir)).toEqual(before);

    const json = await run(initMain, ['--json', dir]);
    const report = JSON.parse(json.out) as InitReport;
    expect(report.written).toEqual([]);
    expect(report.changes.map((c) => [c.file, c.created])).toEqual([
      ['projects/claude/CLAUDE.md', false],
      ['projects/litellm/CLAUDE.md', false],
      ['projects/litellm/MCP-INTEGRATION-STATUS.md', false],
      ['proofbook.config.yaml', true],
    ]);
    expect(await snapshot(dir)).toEqual(before);
  });

  it('--yes inserts markers only, writes a valid config, binds items and lists the rest', async () => {
    const originals = Object.fromEntries(await Promise.all(DOCS.map(async (d) => [d, await readFile(path.join(dir, d), 'utf8')])));
    const result = await run(initMain, ['--yes', '--json', dir]);
    expect(result.code, result.err).toBe(0);
    const report = JSON.parse(result.out) as InitReport;
    expect(report.written).toEqual(['projects/claude/CLAUDE.md', 'projects/litellm/CLAUDE.md', 'projects/litellm/MCP-INTEGRATION-STATUS.md', 'proofbook.config.yaml']);

    // Regions: where and how. None replaces anything by default: each goes beside the block it supersedes.
    expect(report.regions.map((r) => `${r.file} ${r.id} ${r.mode} ${r.supersedes?.blocks.join('+') ?? ''}`.trim())).toEqual([
      'projects/claude/CLAUDE.md clients.matrix insert',
      'projects/litellm/CLAUDE.md traefik.labels insert table',
      'projects/litellm/CLAUDE.md secrets.audit insert list',
      'projects/litellm/CLAUDE.md mcp.catalog insert table',
      'projects/litellm/MCP-INTEGRATION-STATUS.md clients.matrix insert table',
      'projects/litellm/MCP-INTEGRATION-STATUS.md mcp.catalog insert list',
    ]);
    expect(report.regions.every((r) => r.replaces === undefined)).toBe(true);
    // init adds marker lines and nothing else: without them every doc is exactly the original.
    for (const doc of DOCS) {
      const text = await readFile(path.join(dir, doc), 'utf8');
      const withoutMarkers = text.replace(/\n\n<!-- proofbook:start [^>]*-->\n<!-- proofbook:end [^>]*-->/g, '');
      expect(withoutMarkers, doc).toBe(originals[doc]);
    }
    // The routing region comes right after the routing table it supersedes, which stays; then the prose, curl and <details>.
    const runbook = await readFile(path.join(dir, 'projects/litellm/CLAUDE.md'), 'utf8');
    const routing = findRegions(runbook, 'CLAUDE.md').find((r) => r.id === 'traefik.labels')!;
    expect(runbook.slice(routing.contentStart, routing.contentEnd)).toBe('\n');
    expect(runbook.slice(0, routing.markerStart)).toMatch(/\| Host \| Entrypoint[\s\S]*letsencrypt \| 4000 \|\n\n$/);
    expect(runbook.slice(routing.contentEnd)).toContain('<details>');
    const catalog = report.regions.find((r) => r.id === 'mcp.catalog' && r.file.endsWith('litellm/CLAUDE.md'))!;
    expect(catalog.supersedes).toMatchObject({ blocks: ['table'] });
    expect(originals['projects/litellm/CLAUDE.md']!.split('\n')[catalog.supersedes!.from - 1]).toMatch(/^\| Server \| Tool/); // lines of the document as it was

    // Bindings: by keyword, only registered probe ids.
    const byText = Object.fromEntries(report.bound.map((b) => [b.text.slice(0, 30), b.probes]));
    expect(byText['Inspect Traefik labels in proj']).toEqual(['traefik.labels']);
    expect(byText['Run scripted curl (SSE) test c']).toEqual(['mcp.catalog']);
    expect(byText['Reconfirm mcp_servers definiti']).toEqual(['gateway.config']);
    expect(byText['Document secret sources (secre']).toEqual(['secrets.audit']);
    expect(byText['LAN host answers /health/livel']).toEqual(['gateway.health']);
    expect(byText['tools/list returns every serve']).toEqual(['mcp.catalog']);
    for (const item of report.bound) for (const id of item.probes) expect(PROBE_IDS).toContain(id);
    const codex = report.bound.find((b) => b.text.startsWith('Ensure config includes persistent'));
    if (PROBE_IDS.some((id) => id.startsWith('codex.'))) expect(codex?.probes.every((id) => id.startsWith('codex.'))).toBe(true);
    else expect(report.unbound.find((u) => u.text.startsWith('Ensure config includes persistent'))?.reason).toMatch(/no codex\.\* probe is registered/);
    // Not bound, with the reason: decisions and items no probe can prove.
    const reasons = Object.fromEntries(report.unbound.map((u) => [u.text.slice(0, 30), u.reason]));
    expect(reasons['Decide on scoped API key issua']).toMatch(/a decision/);
    expect(reasons['Update projects/litellm/MCP-IN']).toBe('no probe keyword in its text');
    expect(reasons['Reviewed by the security team']).toBe('no probe keyword in its text');
    // Items of a block a region supersedes (the client matrix's Status column) are the region's, not bound.
    expect(report.bound.concat(report.unbound as never[]).some((i) => i.text.startsWith('Codex CLI'))).toBe(false);

    // The config: valid, with the gateway found and the bindings init reported.
    const config = await loadConfig(configPath, { knownProbes: PROBE_IDS });
    expect(path.relative(dir, config.gateway.configFile)).toBe('projects/litellm/config.yaml');
    expect(path.relative(dir, config.gateway.composeFile)).toBe('projects/litellm/docker-compose.yml');
    expect(config.secretsFiles.map((f) => path.relative(dir, f))).toEqual(['secrets/litellm.env', 'secrets/mcp-postgres.env']);
    expect(config.hosts.map((h) => [h.name, h.url])).toEqual([
      ['lan', 'http://litellm.linuxserver.lan'],
      ['external', 'https://litellm.ai-servicers.com'],
    ]);
    expect(config.gateway.mcp.servers).toEqual(['mcp_postgres', 'mcp_filesystem']);
    expect(path.relative(dir, config.evaluationDir)).toBe('projects/litellm/evaluation');
    expect(config.plan.bindings.map((b) => b.probes)).toEqual(report.bound.map((b) => b.probes));
    expect(config.plan.bindings.every((b) => b.file && DOCS.includes(b.file))).toBe(true);
    const configText = await readFile(configPath, 'utf8');
    expect(configText).toContain('# - match: Decide on scoped API'); // decisions suggested, commented out

    // Running init again finds nothing to do.
    const again = await run(initMain, ['--yes', '--json', dir]);
    expect((JSON.parse(again.out) as InitReport).changes).toEqual([]);
  });

  it('the first refresh changes only what Proofbook owns; a second changes nothing', async () => {
    await writeSecrets();
    expect((await run(initMain, ['--yes', dir])).code).toBe(0);
    const config = await loadConfig(configPath);
    const at = new Date().toISOString();
    // Recorded evidence for the live probes this test does not run (the offline path).
    await writeEvidence({
      evaluationDir: config.evaluationDir,
      id: 'mcp.catalog',
      startedAt: at,
      durationMs: 5,
      redactor: new Redactor(),
      outcome: {
        status: 'pass',
        summary: '3 tools via lan (mcp_postgres 1, mcp_filesystem 2)',
        facts: {
          host: 'lan',
          endpoint: 'http://litellm.linuxserver.lan/mcp/',
          pages: 1,
          toolCount: 3,
          servers: [
            { name: 'mcp_postgres', tools: ['query'], missingTools: [] },
            { name: 'mcp_filesystem', tools: ['list_allowed_directories', 'read_text_file'], missingTools: [] },
          ],
          otherTools: [],
          reproduce: 'curl -s http://litellm.linuxserver.lan/mcp-rest/tools/list',
        },
        transcript: [],
      },
    });
    await writeEvidence({
      evaluationDir: config.evaluationDir,
      id: 'codex.list',
      startedAt: at,
      durationMs: 5,
      redactor: new Redactor(),
      outcome: {
        status: 'pass',
        summary: 'codex mcp list shows the gateway on lan',
        facts: { clientMatrix: [{ client: 'codex', host: 'lan', aspect: 'listing', status: 'pass' }] },
        transcript: [],
      },
    });

    const before = Object.fromEntries(await Promise.all(DOCS.map(async (d) => [d, await readFile(path.join(dir, d), 'utf8')])));
    // The static probes really run on the fixture's compose file, config.yaml and secrets.
    const first = await run(refreshDocs, ['--config', configPath, '--only', 'traefik.labels,gateway.config,secrets.audit', '--json']);
    const report = JSON.parse(first.out) as RefreshJson;
    expect(report.results.map((r) => r.id).sort()).toEqual(['gateway.config', 'secrets.audit', 'traefik.labels']);
    expect(report.results.find((r) => r.id === 'traefik.labels')?.status, JSON.stringify(report.results)).toBe('pass');

    let outsideBytesChanged = 0;
    for (const doc of DOCS) {
      const after = await readFile(path.join(dir, doc), 'utf8');
      const lines = report.docs.find((d) => d.file === doc)?.items.map((i) => i.line) ?? [];
      const ranges = owned(before[doc]!, after, doc, lines);
      const a = mask(before[doc]!, ranges.before);
      const b = mask(after, ranges.after);
      if (a !== b) outsideBytesChanged += Math.abs(a.length - b.length) || 1;
      expect(b, doc).toBe(a);
      expect(after, doc).not.toBe(before[doc]); // every doc got its regions (or statuses) filled
    }
    console.info(`bytes changed outside regions, bound statuses and Last Updated dates: ${outsideBytesChanged}`);
    // The client runbook has neither bound items nor dates: outside its regions, not one byte moved.
    const claudeBefore = before['projects/claude/CLAUDE.md']!;
    const claudeAfter = await readFile(path.join(dir, 'projects/claude/CLAUDE.md'), 'utf8');
    const outside = (text: string) => mask(text, findRegions(text, 'c').map((r) => [r.markerStart, r.contentEnd]));
    expect(outside(claudeAfter)).toBe(outside(claudeBefore));

    // What the regions now hold: the generated content, beside the hand-written tables it supersedes (kept).
    const runbook = await readFile(path.join(dir, 'projects/litellm/CLAUDE.md'), 'utf8');
    expect(runbook).toMatch(/<!-- proofbook:start traefik\.labels hash=\w+ -->\n✅ \*\*pass\*\*/);
    expect(runbook).toContain('| lan | `http://litellm.linuxserver.lan` | web | `litellm-lan` |');
    expect(runbook).toMatch(/\| mcp_filesystem \| 2 \| `list_allowed_directories`, `read_text_file` \|/);
    expect(runbook).toContain('| mcp_filesystem | `read_text_file` | docs folder |');
    const status = await readFile(path.join(dir, 'projects/litellm/MCP-INTEGRATION-STATUS.md'), 'utf8');
    expect(status).toMatch(/\| Codex CLI \| lan \| — not checked \| ✅ \[pass\]/);

    // Steady state: a second refresh (offline) writes nothing, and --check agrees.
    const snap = await snapshot(path.join(dir, 'projects'));
    const second = await run(refreshDocs, ['--config', configPath, '--offline', '--json']);
    expect((JSON.parse(second.out) as RefreshJson).written).toEqual([]);
    expect(await snapshot(path.join(dir, 'projects'))).toEqual(snap);
    expect((await run(refreshDocs, ['--config', configPath, '--check'])).code).toBe(0);
  });

  it('replaces a hand-written block only when asked, per proposal (--replace), and shows it in the diff first', async () => {
    const plain = JSON.parse((await run(initMain, ['--json', dir])).out) as InitReport;
    const catalog = plain.regions.find((r) => r.id === 'mcp.catalog' && r.file === 'projects/litellm/CLAUDE.md')!;
    const selector = `${catalog.file}:${catalog.supersedes!.from}`;
    const text = await run(initMain, [dir]);
    expect(text.out).toContain(`to replace them: --replace ${selector}`);

    const dry = await run(initMain, ['--replace', selector, dir]);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toMatch(/\+<!-- proofbook:start mcp\.catalog -->\n \| Server \| Tool \| Notes \|/);
    expect(dry.out).toMatch(/wraps lines \d+–\d+ \(table\): the first refresh replaces them/);
    const written = JSON.parse((await run(initMain, ['--yes', '--json', '--replace', selector, dir])).out) as InitReport;
    expect(written.regions.filter((r) => r.mode === 'wrap').map((r) => `${r.file} ${r.id}`)).toEqual(['projects/litellm/CLAUDE.md mcp.catalog']);
    const runbook = await readFile(path.join(dir, 'projects/litellm/CLAUDE.md'), 'utf8');
    const region = findRegions(runbook, 'CLAUDE.md').find((r) => r.id === 'mcp.catalog')!;
    expect(runbook.slice(region.contentStart, region.contentEnd)).toContain('| mcp_filesystem | `read_text_file` | docs folder |');

    // A selector that matches nothing is a usage error, naming the proposals that supersede a block.
    const wrong = await run(initMain, ['--replace', 'projects/litellm/CLAUDE.md:1', dir]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/--replace projects\/litellm\/CLAUDE\.md:1 matches no proposal/);
  });

  it('stops with file:line:col and writes nothing when a doc has a malformed marker', async () => {
    const file = path.join(dir, 'projects/litellm/CLAUDE.md');
    await writeFile(file, `${await readFile(file, 'utf8')}\n<!-- proofbook:start mcp.invoke -->\n`);
    const before = await snapshot(dir);
    const result = await run(initMain, ['--yes', dir]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/CLAUDE\.md:\d+:1: region "mcp\.invoke" is never closed/);
    expect(await snapshot(dir)).toEqual(before);
  });

  it('rejects contradicting flags, a missing folder and unknown commands (exit 2)', async () => {
    expect((await run(initMain, ['--yes', '--dry-run', dir])).code).toBe(2);
    expect((await run(initMain, [path.join(dir, 'nope')])).code).toBe(2);
    expect((await run(proofbook, ['frobnicate'])).code).toBe(2);
    const help = await run(proofbook, ['refresh-docs', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: npm run refresh-docs');
  });

  it('leaves TODOs the config validation explains when no gateway files are found', async () => {
    const bare = await mkdtemp(path.join(os.tmpdir(), 'proofbook-bare-'));
    try {
      await cp(path.join(FIXTURE, 'projects', 'claude'), path.join(bare, 'docs'), { recursive: true });
      const result = await run(initMain, ['--yes', '--json', bare]);
      expect(result.code).toBe(0);
      expect((JSON.parse(result.out) as InitReport).config.todo).toEqual(['gateway.configFile', 'gateway.composeFile', 'gateway.mcp.servers', 'hosts']);
      const text = await readFile(path.join(bare, 'proofbook.config.yaml'), 'utf8');
      expect(text).toContain('# TODO: no LiteLLM config');
      const error = await loadConfig(path.join(bare, 'proofbook.config.yaml')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/:\d+:\d+: gateway\.configFile: .*LiteLLM's `config\.yaml` \(it registers the MCP servers\)/);
      expect(message).toMatch(/gateway\.composeFile: .*Traefik labels route both hosts to LiteLLM/);
      expect(message).toMatch(/hosts\.0\.url: .*Base URL of the gateway/);
      expect(message).toMatch(/gateway\.mcp\.servers: .*x-mcp-servers/);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});

describe('init units', () => {
  const CLIENT_PROBES = [...new Set(['codex.config', 'codex.list', 'codex.invoke', 'openwebui.config', 'vscode.config', 'claude.config', ...PROBE_IDS])];

  it('binds client items through their parent item and aspect, never through a path in code', async () => {
    const text = await readFile(path.join(FIXTURE, 'projects/litellm/CODEXMCP.md'), 'utf8');
    const { bound, unbound } = bindItems(text, '/x/CODEXMCP.md', 'CODEXMCP.md', { probeIds: CLIENT_PROBES });
    const probes = (start: string) => bound.find((b) => b.text.startsWith(start))?.probes;
    expect(probes('Ensure config includes persistent')).toEqual(['codex.config']);
    expect(probes('Run codex mcp list + sample invocation')).toEqual(['codex.list', 'codex.invoke']);
    expect(probes('Verify environment variables for LAN host')).toEqual(['openwebui.config']);
    // "VS Code / Claude" names two clients; `%APPDATA%\codex\config.toml` (code) names none.
    expect(probes('Add Windows credential storage')).toEqual(['vscode.config', 'claude.config']);
    // `projects/litellm/CLAUDE.md` in code is a path, not the Claude client.
    expect(probes('Update projects/litellm/CLAUDE.md')).toEqual(['traefik.labels']);
    expect(unbound.filter((u) => u.decision).map((u) => u.line)).toEqual([58, 59, 60]);
    // Every match applies to its own item only, and survives the checkbox being ticked.
    for (const item of bound) expect(item.match).not.toMatch(/^\[/);
  });

  it('places markers beside data blocks (around them with --replace only): not inside <details>, CRLF and BOM kept', () => {
    const doc = [
      '\uFEFF# Gateway',
      '',
      '## Routing',
      '',
      'Hosts are routed by Traefik labels.',
      '',
      '<details>',
      '<summary>Old routes</summary>',
      '',
      '| Host | Router |',
      '|---|---|',
      '| a.lan | old |',
      '',
      '</details>',
      '',
      '## Tool catalog',
      '',
      'Tools clients see:',
      '',
      '- `mcp_postgres-query` — SQL',
      '- `mcp_filesystem-read_text_file` — files',
      '',
      '> Note: prefixed with the server name.',
      '',
    ].join('\r\n');
    const gateway = { servers: ['mcp_postgres', 'mcp_filesystem'], hosts: ['a.lan'], secretsFiles: [], services: ['litellm'], files: [] };
    const beside = proposeRegions(doc, 'doc.md', { gateway });
    expect(beside.proposals.map((p) => [p.id, p.mode, p.supersedes?.from])).toEqual([
      ['traefik.labels', 'insert', undefined],
      ['mcp.catalog', 'insert', 20],
    ]);
    expect(beside.text).toContain('- `mcp_filesystem-read_text_file` — files\r\n\r\n<!-- proofbook:start mcp.catalog -->\r\n<!-- proofbook:end mcp.catalog -->\r\n\r\n> Note');

    const { text, proposals } = proposeRegions(doc, 'doc.md', { gateway, replace: ({ id, from }) => id === 'mcp.catalog' && from === 20 });
    expect(proposals.map((p) => [p.id, p.mode])).toEqual([
      ['traefik.labels', 'insert'],
      ['mcp.catalog', 'wrap'],
    ]);
    expect(text.startsWith('\uFEFF# Gateway\r\n')).toBe(true);
    expect(text).toContain('</details>\r\n\r\n<!-- proofbook:start traefik.labels -->\r\n<!-- proofbook:end traefik.labels -->\r\n\r\n## Tool catalog');
    expect(text).toContain('<!-- proofbook:start mcp.catalog -->\r\n- `mcp_postgres-query` — SQL\r\n- `mcp_filesystem-read_text_file` — files\r\n<!-- proofbook:end mcp.catalog -->\r\n\r\n> Note');
    expect(findRegions(text, 'doc.md').map((r) => r.id)).toEqual(['traefik.labels', 'mcp.catalog']);
    expect(text.includes('\n') && !/[^\r]\n/.test(text)).toBe(true);

    // Without the gateway's server names the same list is not its catalog.
    expect(proposeRegions(doc.replace(/mcp_(postgres|filesystem)-/g, ''), 'doc.md', { gateway }).proposals.find((p) => p.id === 'mcp.catalog')?.supersedes).toBeUndefined();
  });

  it('adds bindings to an existing config without touching anything else', () => {
    const bound = [{ file: 'a.md', line: 3, text: 'Inspect Traefik labels', kind: 'emoji' as const, probes: ['traefik.labels'], match: 'Inspect Traefik labels', why: '"Traefik label"' }];
    const base = 'runbooks: [content]\ngateway:\n  configFile: c.yaml\n  composeFile: d.yml\nhosts:\n  - name: lan\n    url: http://a.lan\nprobes:\n  mcp.catalog:\n    servers: [a]\n';
    const shapes = [
      base, // no plan
      `${base}plan:\n  decisions: []   # kept\n`, // plan without bindings
      `${base}plan:\n  bindings: []\n  decisions: []\n`, // empty flow list
      `${base}plan:\n  bindings:\n    - match: Old item\n      probes: [mcp.catalog]\n  decisions: []\n`, // block list
    ];
    for (const text of shapes) {
      const updated = addBindings(text, bound)!;
      expect(updated.startsWith(base)).toBe(true);
      const config = parseConfig(updated, '/x/proofbook.config.yaml');
      expect(config.plan.bindings.at(-1)).toEqual({ match: 'Inspect Traefik labels', file: 'a.md', probes: ['traefik.labels'] });
      expect((parseYaml(updated) as { plan: { bindings: unknown[] } }).plan.bindings).toHaveLength(text.includes('Old item') ? 2 : 1);
      if (text.includes('# kept')) expect(updated).toContain('decisions: []   # kept');
    }
  });
});
