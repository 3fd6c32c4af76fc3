/**
 * During `astro build` the evidence blocks are built on a worker thread (src/site/evidence/
 * worker-blocks.ts): the page gets a placeholder for each, and the pass over the generated pages
 * puts the worker's HTML in. The pages must come out byte for byte as when the page's own visit
 * builds the blocks (`astro dev`, the reference here): on the site fixture, on documents in the
 * shapes real runbooks have, and on a generated corpus like the site bench's.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { markdownToHtml } from 'satteri';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkspace } from '../../../bench/site/workspace.ts';
import { deferBlock, deferredAnchors, deferredEvidence, keyPlaceholders, restoreEvidenceBlocks, settleDeferredBlocks } from '../../../src/site/evidence/deferred.ts';
import { anchorsOf } from '../../../src/site/link-check.ts';
import { runbookElementsPlugin } from '../../../src/site/runbook-elements.ts';
import { SITE_DEFAULTS } from '../../../src/site/settings.ts';
import { CONTENT, EVIDENCE, FOOTNOTES, RESULT, SHAPES } from '../../fixtures/site/evidence-shapes.ts';

/** As the deferral integration sets it up for `astro build` or `astro dev`. */
function command(name: 'build' | 'dev'): void {
  const setup = deferredEvidence().hooks['astro:config:setup'] as (options: { command: string }) => void;
  setup({ command: name });
}

afterEach(() => command('dev'));

async function render(file: string, text: string, content: string, evidence: string): Promise<string> {
  const options = { runbookDirs: [content], evidenceDir: evidence, limits: SITE_DEFAULTS.evidence, base: '/docs/' };
  const { html } = await markdownToHtml(text, { fileURL: pathToFileURL(file), hastPlugins: [runbookElementsPlugin(options, options) as never] });
  return html;
}

/** Each document rendered as `astro dev` does and as `astro build` does; the build's pages once the worker's blocks are in. */
async function bothWays(docs: { file: string; text: string }[], content: string, evidence: string) {
  command('dev');
  const inPage: string[] = [];
  for (const { file, text } of docs) inPage.push(await render(file, text, content, evidence));
  command('build');
  const placeholders: string[] = [];
  for (const { file, text } of docs) placeholders.push(await render(file, text, content, evidence));
  await settleDeferredBlocks();
  return docs.map((doc, i) => ({ ...doc, inPage: inPage[i]!, placeholders: placeholders[i]!, built: restoreEvidenceBlocks(placeholders[i]!, doc.file) }));
}

async function fixtureDocs(content: string) {
  const files = (await readdir(content, { recursive: true })).map(String).filter((f) => f.endsWith('.md'));
  return Promise.all(files.map(async (f) => ({ file: path.join(content, f), text: await readFile(path.join(content, f), 'utf8') })));
}

describe('evidence blocks built on a worker thread', () => {
  it('come out byte for byte as the page builds them, on the fixture runbooks and every shape', async () => {
    const docs = [{ file: path.join(CONTENT, 'ops', 'shapes.md'), text: SHAPES }, { file: path.join(CONTENT, 'ops', 'footnotes.md'), text: FOOTNOTES }, ...(await fixtureDocs(CONTENT))];
    let blocks = 0;
    for (const { file, inPage, placeholders, built } of await bothWays(docs, CONTENT, EVIDENCE)) {
      expect(built, file).toBe(inPage);
      // Nothing of a block is in the page before the worker's HTML is put in.
      expect(placeholders).not.toContain('<details class="pb-evidence');
      // The link check sees the blocks' ids before they exist.
      expect(new Set([...anchorsOf(placeholders), ...deferredAnchors(placeholders)])).toEqual(anchorsOf(inPage));
      blocks += inPage.match(/<details class="pb-evidence/g)?.length ?? 0;
    }
    expect(blocks).toBeGreaterThan(15);
  });

  it('come out byte for byte as the page builds them on a generated corpus: repeats, big logs, history', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-worker-blocks-'));
    try {
      const ws = await createWorkspace(dir, { runbooks: 12, artifacts: 200 });
      const docs = await fixtureDocs(ws.contentDir);
      const pages = await bothWays(docs, ws.contentDir, ws.evaluationDir);
      let blocks = 0;
      let repeats = 0;
      for (const { file, inPage, built } of pages) {
        expect(built, file).toBe(inPage);
        blocks += inPage.match(/<details class="pb-evidence/g)?.length ?? 0;
        repeats += inPage.match(/pb-evidence--repeat/g)?.length ?? 0;
      }
      expect(blocks).toBeGreaterThan(100);
      expect(repeats).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fail the build naming the runbook and the file when a block cannot be built', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-worker-blocks-'));
    try {
      const content = path.join(dir, 'content');
      const evidence = path.join(dir, 'evaluation');
      const { cp, mkdir, writeFile } = await import('node:fs/promises');
      await mkdir(path.join(content, 'ops'), { recursive: true });
      await cp(EVIDENCE, evidence, { recursive: true });
      const cited = path.join(evidence, RESULT.replace('../../evaluation/', ''));
      const file = path.join(content, 'ops', 'unreadable.md');
      await writeFile(file, `# Unreadable\n\nSee [the result](${RESULT}).\n`);
      command('build');
      // The link check has seen the file; it goes away before the worker reads it.
      const html = await render(file, await readFile(file, 'utf8'), content, evidence);
      await rm(cited);
      await expect(settleDeferredBlocks()).rejects.toThrow(new RegExp(`1 evidence block\\(s\\) could not be built:\\n${file.replaceAll('/', '\\/')}: traefik\\.labels/`));
      expect(html).toContain('<!--pb-evidence:');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the worker thread', () => {
  it('keeps the process alive while the page pass waits for it, with nothing else pending', async () => {
    // Without it Node ends the process at the await: exit code 13, an unsettled top-level await.
    const script = path.resolve(import.meta.dirname, '../../fixtures/site/worker/settle-alone.ts');
    const run = await execa(process.execPath, [script], { reject: false });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('<details class="pb-evidence" id="evidenc');
  });
});

describe('the placeholders of a build', () => {
  const source = { evidenceDir: EVIDENCE, limits: SITE_DEFAULTS.evidence, base: '/' };
  const request = { relative: RESULT.replace('../../evaluation/', ''), id: 'evidence-1' };
  const nonceOf = (placeholder: string) => placeholder.split(':')[1];

  it('carry the same nonce while no runbook changes, so the content store compiles the same from build to build', async () => {
    command('build');
    keyPlaceholders(['# One\n', '# Two\n']);
    const first = nonceOf(deferBlock(request, source, 'one.md'));
    keyPlaceholders(['# One\n', '# Two\n']);
    const again = nonceOf(deferBlock(request, source, 'one.md'));
    keyPlaceholders(['# One\n', '# Two, edited\n']);
    const edited = nonceOf(deferBlock(request, source, 'one.md'));
    await settleDeferredBlocks();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(again).toBe(first);
    expect(edited).not.toBe(first);
  });

  it('are not confused with a runbook that writes one: its comment stays as written', async () => {
    command('build');
    const file = path.join(CONTENT, 'ops', 'look-alike.md');
    const text = `# Look-alike\n\n<!--pb-evidence:0123456789abcdef0123456789abcdef:0-->\n\nSee [the result](${RESULT}).\n`;
    keyPlaceholders([text]);
    const html = await render(file, text, CONTENT, EVIDENCE);
    await settleDeferredBlocks();
    const built = restoreEvidenceBlocks(html, file);
    expect(built).toContain('<!--pb-evidence:0123456789abcdef0123456789abcdef:0-->');
    expect(built.match(/<details class="pb-evidence/g)).toHaveLength(1);
  });
});
