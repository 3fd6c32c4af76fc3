/**
 * The `upgrade.preview` region, drawn through the real rewrite (the text a refresh would write,
 * parsed back with remark + GFM), and the reading of `preview.json` files from the evaluation
 * folder: contained (no link), JSON with positions, the schema.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Link, Root, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/formats/input-error.ts';
import { REGION_IDS, renderRegion } from '../../../src/render/index.ts';
import { findRegions, parseMarkdown } from '../../../src/rewrite/regions.ts';
import { rewriteDocument } from '../../../src/rewrite/rewrite-document.ts';
import type { UpgradePreview } from '../../../src/upgrade/preview.ts';
import { readPreviews, type UpgradePreviews } from '../../../src/upgrade/read-preview.ts';
import { fixturePreview } from '../../helpers/upgrade-preview-fixture.ts';

const RENDER = { docFile: '/ws/content/litellm/CODEXMCP.md', evaluationDir: '/ws/evaluation', hosts: ['lan', 'external'] };

const previewsOf = (...all: UpgradePreview[]): UpgradePreviews => ({ all });

/** The document a refresh would write with `previews`, and its region parsed back. */
function rewritten(previews: UpgradePreviews | undefined, marker = 'upgrade.preview') {
  const doc = `# Plan\n\n### Phase 5 – Outstanding Decisions\n\n<!-- proofbook:start ${marker} -->\n<!-- proofbook:end upgrade.preview -->\n\nAfter.\n`;
  const { text } = rewriteDocument(doc, RENDER.docFile, (region) => renderRegion(region.id, new Map(), { ...RENDER, previews }, region));
  const [region] = findRegions(text, RENDER.docFile);
  const inner = text.slice(region!.contentStart, region!.contentEnd);
  return { text, inner, tree: parseMarkdown(inner) };
}

function tables(tree: Root): Table[] {
  return tree.children.filter((n): n is Table => n.type === 'table');
}

function rows(table: Table): string[][] {
  return table.children.map((row) => row.children.map((cell) => toString(cell)));
}

function links(tree: Root): string[] {
  const urls: string[] = [];
  visit(tree, 'link', (node: Link) => void urls.push(node.url));
  return urls;
}

describe('upgrade.preview region', () => {
  it('is a region id refresh knows', () => {
    expect(REGION_IDS).toContain('upgrade.preview');
  });

  it('draws the newest preview: the line, the changed probes with both runs, the changed cells, config findings, the rest in one sentence', () => {
    const older = fixturePreview({ to: '1.80.0', ranAt: '2026-11-01T00:00:00.000Z' });
    const { inner, tree } = rewritten(previewsOf(fixturePreview(), older));
    expect(tree.children[0]!.type).toBe('paragraph');
    expect(toString(tree.children[0]!)).toBe('LiteLLM 1.77.1 → 1.110.2, previewed 2026-12-03 on a second lab (4 probes, 2 changed).');
    expect(inner).not.toMatch(/^#/m); // no heading: the runbook has its own

    const [probes, cells] = tables(tree);
    expect(rows(probes!)).toEqual([
      ['Probe', 'Before', 'After', 'What clears / what is new', 'Evidence'],
      ['gateway.auth', '⚠️ warn', '✅ pass', 'clears: no key: HTTP 500 at http://litellm.lan/mcp/', 'before · after'],
      ['mcp.catalog', '✅ pass', '❌ fail', 'was: 3 tools via lan; now: 0 tools via lan', 'before · after'],
    ]);
    // Links relative to the runbook, to both runs: the current one and the preview's (GFM also
    // links the bare URL in the finding's text).
    expect(links(probes as unknown as Root).filter((url) => url.includes('evaluation/'))).toEqual([
      '../../evaluation/gateway.auth/2026-12-01T00-00-00-000Z.json',
      '../../evaluation/upgrade-preview/1.110.2/gateway.auth/2026-12-03T10-00-00-000Z.json',
      '../../evaluation/mcp.catalog/2026-12-01T00-00-00-000Z.json',
      '../../evaluation/upgrade-preview/1.110.2/mcp.catalog/2026-12-03T10-00-00-000Z.json',
    ]);
    // Only the cell that changes.
    expect(rows(cells!)).toEqual([
      ['Client', 'Host', 'Check', 'Before', 'After'],
      ['Codex CLI', 'lan', 'invocation', '✅ pass', '❌ fail'],
    ]);
    // Each side links to the run it was read from: the current evidence, the preview's.
    expect(links(cells as unknown as Root)).toEqual(['../../evaluation/codex.invoke/2026-12-01T00-00-00-000Z.json', '../../evaluation/upgrade-preview/1.110.2/codex.invoke/2026-12-03T10-00-00-000Z.json']);
    expect(inner).toContain('What to change in the LiteLLM config for 1.110.2:');
    expect(inner).toContain('- ⚠️ `lab/config.yaml:14`: litellm_settings.mcp_aliases is no longer read');
    expect(toString(tree.children.at(-1)!)).toBe('No change in the other 2 probes: traefik.labels, gateway.health.');
  });

  it('draws the version its marker names, and says how to make one it does not have', () => {
    const older = fixturePreview({ to: '1.80.0', ranAt: '2026-11-01T00:00:00.000Z' });
    const named = rewritten(previewsOf(fixturePreview(), older), 'upgrade.preview to=1.80.0');
    expect(toString(named.tree.children[0]!)).toContain('LiteLLM 1.77.1 → 1.80.0, previewed 2026-11-01');
    expect(named.text).toContain('<!-- proofbook:start upgrade.preview to=1.80.0 hash=');
    const missing = rewritten(previewsOf(fixturePreview()), 'upgrade.preview to=1.90.0');
    expect(missing.inner.trim()).toBe('_No upgrade preview of LiteLLM 1.90.0 yet: run `npm run proofbook -- upgrade-preview --to 1.90.0` to run every probe against that version on a second lab._');
  });

  it('without a preview says how to make one, and draws no table', () => {
    for (const previews of [undefined, previewsOf()]) {
      const { inner, tree } = rewritten(previews);
      expect(inner.trim()).toBe('_No upgrade preview yet: run `npm run proofbook -- upgrade-preview --to <version>` to run every probe against that version on a second lab._');
      expect(tables(tree)).toEqual([]);
    }
  });

  it('a preview where nothing changes says so in one sentence', () => {
    const preview = fixturePreview();
    const same = { ...preview, probes: preview.probes.map((p) => ({ ...p, after: p.before && { ...p.before }, cleared: [], added: [], change: 'same' as const })), cells: [], configCompatibility: [] };
    const { tree } = rewritten(previewsOf(same));
    expect(tables(tree)).toEqual([]);
    expect(tree.children.map((n) => toString(n))).toEqual([
      'LiteLLM 1.77.1 → 1.110.2, previewed 2026-12-03 on a second lab (4 probes, 0 changed).',
      'No change in any of the 4 probes and every client-matrix cell: traefik.labels, gateway.auth, mcp.catalog, gateway.health.',
    ]);
  });

  it('hostile summaries and finding messages stay text: no HTML, no javascript: link, no extra row, the region keeps its end', () => {
    const hostile = '<script>alert(1)</script> [x](javascript:alert(1)) line one\nline two | cell <!-- proofbook:end upgrade.preview --> done';
    const preview = fixturePreview();
    const poisoned: UpgradePreview = {
      ...preview,
      probes: preview.probes.map((p) =>
        p.id === 'mcp.catalog'
          ? { ...p, after: { ...p.after!, summary: hostile } }
          : p.id === 'gateway.auth'
            ? { ...p, cleared: [{ severity: 'warn', message: hostile, file: 'a|b\n.yaml', line: 2 }] }
            : p,
      ),
      configCompatibility: [{ severity: 'fail', message: hostile, file: 'lab/config.yaml', line: 3 }],
    };
    const { text, inner, tree } = rewritten(previewsOf(poisoned));
    const html: string[] = [];
    visit(tree, 'html', (node) => void html.push(node.value));
    expect(html).toEqual([]);
    for (const url of links(tree)) expect(url).not.toMatch(/javascript:/i);
    // The fake end marker did not end the region: one region, the document's own end after it.
    expect(findRegions(text, RENDER.docFile).map((r) => r.id)).toEqual(['upgrade.preview']);
    expect(text.trimEnd().endsWith('<!-- proofbook:end upgrade.preview -->\n\nAfter.')).toBe(true);
    // Same table shape as the harmless preview: the newline and the pipe stayed in their cells.
    const [probes] = tables(tree);
    expect(probes!.children.map((row) => row.children.length)).toEqual([5, 5, 5]);
    expect(rows(probes!)[2]![3]).toContain('now: <script>alert(1)</script> [x](javascript:alert(1)) line one␊line two | cell <!-- proofbook:end upgrade.preview --> done');
    expect(inner).not.toMatch(/(^|[^\\])<(script|!--)/m); // every < escaped
    expect(inner.split('\n').filter((line) => line.includes('line two')).every((line) => line.includes('line one'))).toBe(true);
  });
});

describe('reading previews from the evaluation folder', () => {
  const made: string[] = [];
  afterAll(async () => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

  async function evaluation(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-preview-'));
    made.push(dir);
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), text);
    }
    return dir;
  }

  async function inputError(dir: string): Promise<InputError> {
    const error = await readPreviews(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }

  it('reads every preview, newest run first; a version folder without preview.json is no preview yet', async () => {
    const dir = await evaluation({
      'upgrade-preview/1.80.0/preview.json': JSON.stringify(fixturePreview({ to: '1.80.0', ranAt: '2026-11-01T00:00:00.000Z' })),
      'upgrade-preview/1.110.2/preview.json': JSON.stringify(fixturePreview(), null, 2),
      'upgrade-preview/1.120.0/index.jsonl': '',
      'upgrade-preview/README.md': 'notes',
    });
    const previews = await readPreviews(dir);
    expect(previews.all.map((p) => p.to)).toEqual(['1.110.2', '1.80.0']);
    expect(previews.all[0]).toEqual(fixturePreview());
    expect((await readPreviews(path.join(dir, 'nothing-here'))).all).toEqual([]);
  });

  it('a preview.json that is a symbolic link is an input error at the link, and is not read', async () => {
    const dir = await evaluation({ 'secret.json': JSON.stringify(fixturePreview()) });
    await mkdir(path.join(dir, 'upgrade-preview', '1.110.2'), { recursive: true });
    await symlink(path.join(dir, 'secret.json'), path.join(dir, 'upgrade-preview', '1.110.2', 'preview.json'));
    const error = await inputError(dir);
    expect([error.file, error.line, error.column]).toEqual([path.join(dir, 'upgrade-preview', '1.110.2', 'preview.json'), 1, 1]);
    expect(error.message).toMatch(/is a symbolic link; evidence is never read.* — replace the link/);
  });

  it('a version folder or the previews folder that is a link is an input error too', async () => {
    const target = await evaluation({ 'preview.json': JSON.stringify(fixturePreview()), '1.110.2/preview.json': JSON.stringify(fixturePreview()) });
    const dir = await evaluation({});
    await mkdir(path.join(dir, 'upgrade-preview'));
    await symlink(target, path.join(dir, 'upgrade-preview', '1.110.2'));
    expect((await inputError(dir)).file).toBe(path.join(dir, 'upgrade-preview', '1.110.2'));
    const other = await evaluation({});
    await symlink(target, path.join(other, 'upgrade-preview'));
    expect((await inputError(other)).file).toBe(path.join(other, 'upgrade-preview'));
  });

  it('malformed JSON is an input error at the line and column where it breaks, without quoting the file', async () => {
    const text = JSON.stringify(fixturePreview(), null, 2).replace('"labUpMs": 41000,', '"labUpMs": 41000 "sk-secret-value",');
    const dir = await evaluation({ 'upgrade-preview/1.110.2/preview.json': text });
    const error = await inputError(dir);
    const line = text.split('\n').findIndex((l) => l.includes('sk-secret-value')) + 1;
    expect([error.line, error.column]).toEqual([line, 20]); // at the second string, after `  "labUpMs": 41000 `
    expect(error.message).toContain(`${path.join(dir, 'upgrade-preview/1.110.2/preview.json')}:${line}:20: invalid JSON`);
    expect(error.message).toContain('npm run proofbook -- upgrade-preview --to');
    expect(error.message).not.toContain('sk-secret-value');
  });

  it('a file that is not a preview is an input error at the offending value, naming the field but not its value', async () => {
    const preview = fixturePreview();
    const bad = { ...preview, probes: [preview.probes[0], { ...preview.probes[1], after: { ...preview.probes[1]!.after, status: 'sk-great' } }] };
    const text = JSON.stringify(bad, null, 2);
    const dir = await evaluation({ 'upgrade-preview/1.110.2/preview.json': text });
    const error = await inputError(dir);
    const line = text.split('\n').findIndex((l) => l.includes('"sk-great"')) + 1;
    expect(error.line).toBe(line);
    expect(error.problem).toMatch(/^probes\[1\]\.after\.status: expected one of "pass", .* — not a preview this Proofbook wrote/);
    expect(error.message).not.toContain('sk-great');
  });

  it('an evidence path that leaves the evaluation folder, or a preview filed under another version, is refused', async () => {
    const preview = fixturePreview();
    const escaping = { ...preview, cells: [{ ...preview.cells[0], evidence: '../../secrets/litellm.env' }] };
    const dir = await evaluation({ 'upgrade-preview/1.110.2/preview.json': JSON.stringify(escaping, null, 2) });
    expect((await inputError(dir)).problem).toMatch(/^cells\[0\]\.evidence: not a path inside the evaluation folder/);
    const escapingBefore = { ...preview, cells: [{ ...preview.cells[0], evidenceBefore: '/etc/passwd' }] };
    const dirBefore = await evaluation({ 'upgrade-preview/1.110.2/preview.json': JSON.stringify(escapingBefore, null, 2) });
    expect((await inputError(dirBefore)).problem).toMatch(/^cells\[0\]\.evidenceBefore: not a path inside the evaluation folder/);
    const misfiled = await evaluation({ 'upgrade-preview/1.80.0/preview.json': JSON.stringify(preview, null, 2) });
    expect((await inputError(misfiled)).problem).toMatch(/^to: the preview is of another version than its folder names/);
  });
});
