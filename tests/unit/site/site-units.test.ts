/**
 * The site stage's pure parts, without Astro: evidence files and blocks, link checks, plan
 * progress, the topology, the dashboard's HTML, the secret scan and the settings.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientMatrix } from '../../../src/evidence/client-matrix.ts';
import type { IndexEntry, ProbeView } from '../../../src/evidence/history.ts';
import type { ProbeStatus } from '../../../src/probes/types.ts';
import { historyStrip } from '../../../src/site/dashboard/history-strip.ts';
import { html } from '../../../src/site/dashboard/html.ts';
import { outlinePage } from '../../../src/site/dashboard/pages.ts';
import { planProgress } from '../../../src/site/dashboard/plan-progress.ts';
import { renderDashboard, type DashboardModel } from '../../../src/site/dashboard/render.ts';
import { topologyGraph, topologySvg } from '../../../src/site/dashboard/topology.ts';
import { fileFacts } from '../../../src/site/evidence/file-facts.ts';
import { runMeta } from '../../../src/site/evidence/meta.ts';
import { formatBytes, preview } from '../../../src/site/evidence/preview.ts';
import { evidenceFromCode, evidenceFromHref } from '../../../src/site/evidence/refs.ts';
import { anchorsOf, checkLinks, type PublishedPage } from '../../../src/site/link-check.ts';
import { knownSecrets, scanForSecrets, secretForms } from '../../../src/site/secret-scan.ts';
import { SITE_DEFAULTS, siteNow, siteSettings } from '../../../src/site/settings.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'proofbook-site-units-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(relative: string, content: string | Buffer): Promise<string> {
  const file = path.join(dir, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

describe('evidence files', () => {
  it('hashes, sizes and counts lines in one pass, keeping only the head', async () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `line ${i}`).join('\n'); // no final newline
    const file = await put('facts/big.log', text);
    const facts = await fileFacts(file, 1024);
    expect(facts.size).toBe(Buffer.byteLength(text));
    expect(facts.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(facts.lines).toBe(50_000);
    expect(facts.head.length).toBe(1024);
    expect(facts.binary).toBe(false);
    expect((await fileFacts(await put('facts/bin', Buffer.from([1, 0, 2])), 1024)).binary).toBe(true);
    expect((await fileFacts(await put('facts/empty', ''), 1024)).lines).toBe(0);
  });

  it('previews whole lines within the line and byte limits', () => {
    const text = Buffer.from('a\nb\nc\nd\n');
    expect(preview({ head: text, size: text.length, lines: 4 }, { maxLines: 10, maxBytes: 100 })).toEqual({ text: 'a\nb\nc\nd', lines: 4, truncated: false });
    expect(preview({ head: text, size: text.length, lines: 4 }, { maxLines: 2, maxBytes: 100 })).toEqual({ text: 'a\nb', lines: 2, truncated: true });
    // A byte cut in the middle of a line drops that line (and never splits a character).
    const utf8 = Buffer.from('één\ntwee\ndrie\n');
    expect(preview({ head: utf8.subarray(0, 8), size: utf8.length, lines: 3 }, { maxLines: 10, maxBytes: 8 })).toEqual({ text: 'één', lines: 1, truncated: true });
    expect(formatBytes(21_000_000)).toBe('20.0 MB');
    expect(formatBytes(1019)).toBe('1019 B');
  });

  it('recognises links into the evaluation folder and inline-code paths of files in it', async () => {
    const evaluation = path.join(dir, 'ws', 'evaluation');
    await put('ws/evaluation/mcp.catalog/2026-11-20T10-00-00-000Z.json', '{}');
    await put('ws/evaluation/lan-mcp-tools-2025-09-18.log', 'x');
    await put('ws/evaluation/evaluation/nested.log', 'x');
    const doc = path.join(dir, 'ws', 'content', 'litellm', 'PLAN.md');
    expect(evidenceFromHref('../../evaluation/mcp.catalog/2026-11-20T10-00-00-000Z.json', doc, evaluation)).toBe('mcp.catalog/2026-11-20T10-00-00-000Z.json');
    expect(evidenceFromHref('../../evaluation/mcp.catalog/missing.json', doc, evaluation)).toBeUndefined();
    expect(evidenceFromHref('../../evaluation/', doc, evaluation)).toBeUndefined();
    expect(evidenceFromHref('https://example.com/evaluation/x.json', doc, evaluation)).toBeUndefined();
    expect(evidenceFromCode('projects/litellm/evaluation/lan-mcp-tools-2025-09-18.log', evaluation)).toBe('lan-mcp-tools-2025-09-18.log');
    expect(evidenceFromCode('evaluation/lan-mcp-tools-2025-09-18.log', evaluation)).toBe('lan-mcp-tools-2025-09-18.log');
    expect(evidenceFromCode('x/evaluation/evaluation/nested.log', evaluation)).toBe('evaluation/nested.log');
    expect(evidenceFromCode('projects/litellm/evaluation/lan-mcp-tools-<date>.log', evaluation)).toBeUndefined();
    expect(evidenceFromCode('lan-mcp-tools-2025-09-18.log', evaluation)).toBeUndefined();
    expect(evidenceFromCode('evaluation/../../content/litellm/PLAN.md', evaluation)).toBeUndefined();
    expect(evidenceFromCode('cat evaluation/lan-mcp-tools-2025-09-18.log', evaluation)).toBeUndefined();
  });

  it('tells which run a file belongs to', () => {
    const entry: IndexEntry = { id: 'mcp.catalog', status: 'fail', startedAt: '2026-11-20T10:00:00.000Z', result: 'mcp.catalog/a.json', sha256: 'abc', fingerprint: 'f', prev: '' };
    const index = new Map([[entry.result, entry]]);
    const result = JSON.stringify({ id: 'mcp.catalog', status: 'fail', summary: 'no tools', startedAt: entry.startedAt, transcriptSha256: 'def' });
    expect(runMeta('mcp.catalog/a.json', result, true, index)).toEqual({
      probe: 'mcp.catalog', status: 'fail', time: entry.startedAt, timeFrom: 'run', summary: 'no tools', recordedSha256: 'abc', recordedIn: 'index.jsonl',
    });
    expect(runMeta('mcp.catalog/a.transcript.json', '[]', true, index, result)).toMatchObject({ probe: 'mcp.catalog', status: 'fail', recordedSha256: 'def', recordedIn: 'mcp.catalog/a.json' });
    expect(runMeta('old/b.json', result, true, new Map())).toMatchObject({ probe: 'mcp.catalog', status: 'fail', summary: 'no tools' });
    expect(runMeta('test-openwebui-mcp-2025-09-18.log', 'text', true, index)).toEqual({ time: '2025-09-18', timeFrom: 'file name' });
    expect(runMeta('notes.log', 'text', true, index)).toEqual({});
  });
});

describe('link check', () => {
  const content = path.join('/ws', 'content');
  const pages = new Map<string, PublishedPage>([
    [path.join(content, 'a.md'), { file: path.join(content, 'a.md'), anchors: anchorsOf('<h2 id="intro">Intro</h2><h3 id="q&amp;a">Q&amp;A</h3>') }],
    [path.join(content, 'sub', 'b.md'), { file: path.join(content, 'sub', 'b.md'), anchors: anchorsOf('<h2 id="tool-catalog">x</h2>') }],
  ]);
  const context = { pages, runbookDirs: [content], evidenceDir: path.join('/ws', 'evaluation') };

  it('reads anchors from rendered HTML, entities decoded', () => {
    expect([...anchorsOf('<h2 id="q&amp;a">x</h2><a id="x"></a>')]).toEqual(['_top', 'q&a', 'x']);
  });

  it('accepts links to published pages and their anchors', () => {
    const source = '[b](sub/b.md#tool-catalog) [self](#intro) [qa](#q&a) [top](#_top) [web](https://x.test/a.md) [abs](/status/) [mail](mailto:a@b.c)\n\n[ref]: sub/b.md\n';
    expect(checkLinks(path.join(content, 'a.md'), source, context)).toEqual([]);
  });

  it('reports missing files, unpublished runbooks and missing anchors with file:line:col', () => {
    const file = path.join(content, 'a.md');
    const source = '# T\n\n[gone](gone.md) and [b](sub/b.md#nope)\n\n[self](#nowhere)\n\n[ref]: sub/_draft.md\n';
    const problems = checkLinks(file, source, context).map((p) => `${p.line}:${p.column} ${p.severity} ${p.message.split(':')[0]}`);
    expect(problems).toEqual([
      '3:1 error broken link to gone.md',
      '3:21 error broken link to sub/b.md#nope',
      '5:1 error broken link to #nowhere',
      '7:1 error broken link to sub/_draft.md',
    ]);
  });

  it('reports a relative image that does not exist; remote, site-absolute and existing images pass', async () => {
    const ws = path.join(dir, 'images');
    await put('images/content/a.md', '');
    await put('images/assets/diagram.png', 'png');
    const local = { pages: new Map([[path.join(ws, 'content', 'a.md'), { file: '', anchors: new Set<string>() }]]), runbookDirs: [path.join(ws, 'content')], evidenceDir: path.join(ws, 'evaluation') };
    const source = '![ok](../assets/diagram.png) ![web](https://x.test/i.png) ![abs](/favicon.svg)\n\n![gone](img/gone%20now.png#frag)\n';
    const problems = checkLinks(path.join(ws, 'content', 'a.md'), source, local);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.message}`)).toEqual([
      `3:1 error broken image img/gone%20now.png#frag: ${path.join(ws, 'content', 'img', 'gone now.png')} does not exist; fix the path, add the file, or remove the image`,
    ]);
  });

  it('only warns about links to existing files the site does not publish', async () => {
    const ws = path.join(dir, 'links');
    await put('links/content/a.md', '');
    await put('links/lab/config.yaml', '');
    await put('links/content/_draft.md', '');
    const local = { pages: new Map([[path.join(ws, 'content', 'a.md'), { file: '', anchors: new Set<string>() }]]), runbookDirs: [path.join(ws, 'content')], evidenceDir: path.join(ws, 'evaluation') };
    const problems = checkLinks(path.join(ws, 'content', 'a.md'), '[cfg](../lab/config.yaml) [draft](_draft.md)\n', local);
    expect(problems.map((p) => [p.severity, p.message.split(':')[0]])).toEqual([
      ['warning', 'link to ../lab/config.yaml works in an editor but not on the site'],
      ['error', 'link to _draft.md'],
    ]);
  });
});

describe('plan progress', () => {
  const body = [
    '## Plan',
    '### Phase 1',
    '1. Done thing. ✅ Completed 2026-11-20.',
    '2. Open thing. ⚠️ Pending.',
    '3. No mark `✅ in code`.',
    '### Phase 2',
    '- [x] ticked',
    '- [ ] open',
    '- **Group**',
    '  - child ❌ Failed',
    '  - child ✔ ok',
    '<!-- proofbook:start mcp.catalog -->',
    '- ❌ a finding inside a generated region',
    '<!-- proofbook:end mcp.catalog -->',
    '### Notes',
    'No items.',
    '## After',
    '- ✅ not in a phase',
    '',
  ].join('\n\n');
  const page = outlinePage({ id: 'ops/plan', title: 'Plan', file: '/ws/plan.md', body, headings: [] });

  it('counts marked, done and unmarked items per ### section', () => {
    expect(planProgress([page], '/')).toEqual([
      {
        title: 'Plan',
        href: '/ops/plan/',
        phases: [
          { heading: 'Phase 1', href: '/ops/plan/#phase-1', done: 1, marked: 2, unmarked: 1 },
          { heading: 'Phase 2', href: '/ops/plan/#phase-2', done: 2, marked: 4, unmarked: 0 },
        ],
      },
    ]);
  });

  it('ignores runbooks without any status mark', () => {
    const plain = outlinePage({ id: 'x', title: 'X', file: '/ws/x.md', body: '### A\n\n- one\n- two\n', headings: [] });
    expect(planProgress([plain], '/')).toEqual([]);
  });

  it('takes heading anchors from the rendered page when they line up', () => {
    const rendered = outlinePage({ id: 'x', title: 'X', file: '/ws/x.md', body: '## A\n\n### B\n', headings: [{ depth: 2, slug: 'a-real', text: 'A' }, { depth: 3, slug: 'b-real', text: 'B' }] });
    expect(rendered.outline.map((h) => h.slug)).toEqual(['a-real', 'b-real']);
    const duplicate = outlinePage({ id: 'x', title: 'X', file: '/ws/x.md', body: '## Same\n\n## Same\n', headings: [] });
    expect(duplicate.outline.map((h) => h.slug)).toEqual(['same', 'same-1']);
  });
});

describe('topology', () => {
  const hosts = [
    { name: 'lan', url: 'http://litellm.linuxserver.lan' },
    { name: 'external', url: 'https://litellm.ai-servicers.com:8443' },
  ];
  const labels = {
    status: 'fail' as const,
    facts: { hosts: [{ host: 'lan', ok: true, routers: [{ name: 'r-lan' }] }, { host: 'external', ok: false, routers: [] }] },
  };

  it('colours hosts, routers, LiteLLM and servers from their probes', () => {
    const views = new Map<string, { status: ProbeStatus; facts: Record<string, unknown> }>([
      ['traefik.labels', labels],
      ['gateway.health', { status: 'pass' as const, facts: {} }],
      ['mcp.catalog', { status: 'warn' as const, facts: { servers: [{ name: 'pg', tools: ['query'], missingTools: [] }, { name: 'fs', tools: ['read'], missingTools: ['list'] }, { name: 'dead', tools: [], missingTools: [] }] } }],
    ]);
    const graph = topologyGraph({ hosts, views, staleProbes: new Set(['mcp.catalog']), configuredServers: [] });
    expect(Object.fromEntries(graph.nodes.map((n) => [n.id, `${n.state}${n.stale ? ' stale' : ''}`]))).toEqual({
      clients: 'none',
      litellm: 'pass',
      'host:lan': 'pass',
      'router:r-lan': 'fail',
      'host:external': 'fail',
      'server:pg': 'pass stale',
      'server:fs': 'warn stale',
      'server:dead': 'fail stale',
    });
    expect(graph.edges).toContainEqual(['host:lan', 'router:r-lan']);
    expect(graph.edges).toContainEqual(['router:r-lan', 'litellm']);
    expect(graph.nodes.find((n) => n.id === 'host:external')?.detail).toBe('litellm.ai-servicers.com:8443');
  });

  it('draws a grey Traefik and the configured servers when there is no evidence', () => {
    const graph = topologyGraph({ hosts, views: new Map(), staleProbes: new Set(), configuredServers: ['pg'] });
    expect(graph.nodes.map((n) => `${n.id}:${n.state}`)).toEqual(['clients:none', 'litellm:none', 'host:lan:none', 'host:external:none', 'traefik:none', 'server:pg:none']);
    const svg = topologySvg(graph).value;
    expect(svg.match(/<path /g)).toHaveLength(graph.edges.length);
    expect(svg).toContain('data-node="traefik" data-state="none"');
  });
});

describe('client matrix', () => {
  const view = (id: string, cells: unknown[]): [string, ProbeView] => [
    id,
    { id, status: 'pass', summary: '', facts: { clientMatrix: cells }, since: '2026-11-20T10:00:00Z', evidence: `${id}/r.json`, lastRun: '2026-11-20T10:00:00Z' },
  ];
  const views = new Map([
    view('vscode.config', [
      { client: 'vscode', host: 'external', aspect: 'config', status: 'warn', note: 'https missing' },
      { client: 'vscode', host: 'lan', aspect: 'config', status: 'pass' },
      { client: 'vscode', host: 'lan', aspect: 'nonsense', status: 'pass' },
    ]),
    view('codex.config', [{ client: 'codex', host: 'lan', aspect: 'config', status: 'pass' }]),
    view('codex.list', [{ client: 'codex', host: 'lan', aspect: 'config', status: 'fail', note: 'disabled' }]),
    view('openwebui.config', [{ client: 'openwebui', host: 'lan', aspect: 'invocation', status: 'known-limitation', note: 'catalog only' }]),
  ]);

  it('merges cells from several probes: the worst wins and links its own evidence', () => {
    const rows = clientMatrix(views, ['lan', 'external']);
    expect(rows.map((r) => `${r.client}@${r.host}`)).toEqual(['codex@lan', 'openwebui@lan', 'vscode@lan', 'vscode@external']);
    expect(rows[0]!.cells.config).toEqual({ status: 'fail', notes: ['disabled'], probe: 'codex.list', evidence: 'codex.list/r.json' });
    expect(rows[2]!.cells).toEqual({ config: { status: 'pass', notes: [], probe: 'vscode.config', evidence: 'vscode.config/r.json' } });
  });

  it('shows on the dashboard and draws each client in the topology, linked to its hosts', () => {
    const rows = clientMatrix(views, ['lan', 'external']);
    const hosts = [{ name: 'lan', url: 'http://lan.example' }, { name: 'external', url: 'https://ext.example' }];
    const graph = topologyGraph({ hosts, views, staleProbes: new Set(), configuredServers: [], clients: rows });
    expect(graph.nodes.filter((n) => n.column === 0).map((n) => `${n.id}:${n.state}`)).toEqual(['client:codex:fail', 'client:openwebui:known-limitation', 'client:vscode:warn']);
    expect(graph.edges).toContainEqual(['client:vscode', 'host:external']);
    expect(graph.edges).not.toContainEqual(['client:codex', 'host:external']);
    const page = renderDashboard({ now: new Date('2026-11-20T12:00:00Z'), maxAgeHours: 24, historyRuns: 20, probes: [], topology: graph, progress: [], decisions: [], clients: rows, base: '/docs/' });
    expect(page).toContain('<tr data-client="openwebui" data-host="lan">');
    expect(page).toMatch(/data-aspect="invocation" data-status="known-limitation"><a class="pb-badge pb-badge--known-limitation" href="\/docs\/[^"]*openwebui.config\/r.json"[^>]*>known limitation<\/a> <span class="pb-muted">catalog only/);
    expect(page).toContain('data-aspect="listing" data-status="none"');
  });
});

describe('dashboard HTML', () => {
  it('escapes everything it did not write itself', () => {
    expect(html`<p title="${'"x"'}">${'<script>'}${html`<b>ok</b>`}${['<', html`&`]}</p>`.value).toBe('<p title="&quot;x&quot;">&lt;script&gt;<b>ok</b>&lt;&</p>');
    const model: DashboardModel = {
      now: new Date('2026-11-20T12:00:00Z'),
      maxAgeHours: 24,
      historyRuns: 20,
      probes: [{ id: 'x.probe', status: 'fail', stale: false, summary: '<img src=x onerror=alert(1)>', since: '2026-11-20T10:00:00Z', lastRun: '2026-11-20T11:00:00Z', history: [], runs: 0, regions: [] }],
      topology: { nodes: [], edges: [] },
      progress: [],
      decisions: [{ match: 'Decide <this>', state: 'pending', owner: 'ops' }],
      clients: [],
      base: '/',
    };
    const page = renderDashboard(model);
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('Decide &lt;this&gt;');
    expect(page).toContain('(1 h before the build)');
    expect(page).toContain('data-state="fail"');
    // The history row says its cells' times are UTC (the cells' titles leave the zone out), once it has cells.
    expect(page).toContain('<dt>History</dt>');
    const cell = { status: 'pass' as const, startedAt: '2026-11-20T11:00:00.000Z', href: '/evidence/b.json' };
    const withRuns = renderDashboard({ ...model, probes: [{ ...model.probes[0]!, history: [cell], runs: 1 }] });
    expect(withRuns).toContain('<dt>History (UTC)</dt>');
  });

  it('links the first 5 regions of a probe and counts the rest', () => {
    const regions = Array.from({ length: 8 }, (_, i) => ({ href: `/r${i}/`, label: `Runbook ${i}` }));
    const page = renderDashboard({
      now: new Date('2026-11-20T12:00:00Z'), maxAgeHours: 24, historyRuns: 20, topology: { nodes: [], edges: [] }, progress: [], decisions: [], clients: [], base: '/',
      probes: [{ id: 'mcp.catalog', status: 'pass', stale: false, summary: 'ok', since: '2026-11-20T10:00:00Z', lastRun: '2026-11-20T11:00:00Z', history: [], runs: 1, regions }],
    });
    expect(page.match(/data-region-link/g)).toHaveLength(5);
    expect(page).toContain('<a href="/r4/" data-region-link>Runbook 4</a> and 3 more runbook regions');
  });

  it('draws one linked cell per run', () => {
    const cells = [
      { status: 'fail' as const, startedAt: '2026-11-20T10:00:00.000Z', href: '/evidence/a.json' },
      { status: 'pass' as const, startedAt: '2026-11-20T11:00:00.000Z', href: '/evidence/b.json' },
    ];
    const svg = historyStrip('p', cells, 20).value;
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('aria-label="Last 2 runs of p: 1 fail, 1 pass"');
    expect(svg).toContain('<a href="/evidence/a.json"><title>2026-11-20 10:00: fail</title><rect class="pb-cell--fail"/></a>');
    expect(svg).toContain('<a href="/evidence/b.json"><title>2026-11-20 11:00: pass</title><rect class="pb-cell--pass" x="12"/></a>');
    expect(historyStrip('p', [], 20).value).toContain('no runs yet');
  });
});

describe('secret scan', () => {
  it('knows every value of 6 characters or more, and the key from the environment', async () => {
    const env = await put('secrets/app.env', 'API_KEY=sk-abcdef123456\nDEBUG=1\nSHORT=abcde\nPASSWORD="p&ss<w>rd!"\n');
    const secrets = await knownSecrets([env, path.join(dir, 'secrets', 'missing.env')], { LITELLM_MASTER_KEY: 'sk-from-env-0001', EMPTY: undefined });
    expect(secrets.map((s) => s.name)).toEqual([`API_KEY (${env}:1)`, `PASSWORD (${env}:4)`, 'LITELLM_MASTER_KEY (environment)']);
  });

  it('finds a value as written and as a page or a JSON file carries it, across read chunks', async () => {
    const out = path.join(dir, 'out');
    const secret = 'p&ss<w>rd"1';
    const forms = secretForms(secret);
    expect([...forms.keys()]).toEqual(['as written', 'HTML-escaped', 'JSON-escaped', 'URL-encoded', 'base64']);
    await put('out/index.html', `<p>${forms.get('HTML-escaped')}</p>`);
    await put('out/data/run.json', JSON.stringify({ header: secret }));
    // 64 KiB is the stream's chunk size: put the value across the boundary.
    await put('out/big.log', Buffer.concat([Buffer.alloc(65_536 - 4, 'a'), Buffer.from(secret), Buffer.alloc(100, 'b')]));
    await put('out/clean.css', 'body{}');
    const leaks = await scanForSecrets(out, [{ value: secret, name: 'PASSWORD (app.env:4)' }]);
    expect(leaks.map((l) => `${l.file} ${l.form}`).sort()).toEqual(['big.log as written', 'data/run.json JSON-escaped', 'index.html HTML-escaped']);
    expect(await scanForSecrets(out, [])).toEqual([]);
  });
});

describe('site settings', () => {
  it('falls back to the defaults for anything missing or malformed', () => {
    expect(siteSettings({})).toEqual(SITE_DEFAULTS);
    expect(siteSettings({ site: { maxAgeHours: 6, historyRuns: 'many', evidence: { maxLines: 50, maxBytes: -1 } } })).toEqual({
      maxAgeHours: 6,
      historyRuns: 20,
      evidence: { maxLines: 50, maxBytes: 65_536 },
    });
  });

  it('pins "now" from PROOFBOOK_SITE_NOW, and rejects a bad one', () => {
    expect(siteNow({ PROOFBOOK_SITE_NOW: '2026-11-20T12:00:00Z' }).toISOString()).toBe('2026-11-20T12:00:00.000Z');
    expect(() => siteNow({ PROOFBOOK_SITE_NOW: 'yesterday' })).toThrow(/not a date/);
  });
});
