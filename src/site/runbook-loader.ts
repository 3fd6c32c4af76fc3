/**
 * Astro content loader that publishes the runbooks where they live (the config's
 * `runbooks` folders), instead of copies in `src/content/docs`: the site always shows
 * exactly the files that `refresh-docs` rewrites.
 *
 * It renders each file itself (not through the glob loader) because it must edit the
 * Markdown first: runbooks carry no front matter, so the title comes from the first
 * `#` heading, which is then dropped from the body.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { readFrontMatter } from '../markdown/front-matter.ts';
import { HOME_ID, HOME_TITLE, homeMarkdown, type PageLink } from './home-page.ts';
import { anchorsOf, checkLinks, formatProblems, type PublishedPage } from './link-check.ts';
import { takeRenderedDigest } from './digest-plugin.ts';
import { deferredAnchors, keyPlaceholders } from './evidence/deferred.ts';
import { shareBodyDigest } from './digests.ts';
import { digestMarkdown, type DigestLink } from './runbook-digest.ts';
import { extractTitleFast } from './title.ts';
import { findRunbooks } from './runbook-files.ts';
import { RUNBOOK_EXTENSION, runbookId } from './slugs.ts';

export interface RunbookLoaderOptions {
  /** Absolute runbook folders, as in the config's `runbooks`. */
  dirs: readonly string[];
  /** Absolute evidence folder: links into it are checked for existence too. */
  evidenceDir?: string;
}

export function runbookLoader({ dirs, evidenceDir }: RunbookLoaderOptions): Loader {
  let watching = false;
  return {
    name: 'proofbook-runbooks',
    async load(context) {
      await loadAll(dirs, evidenceDir, context);
      // `astro dev`: reload everything on any change; there are few runbooks and rendering is fast.
      if (context.watcher && !watching) {
        watching = true;
        context.watcher.add([...dirs]);
        context.watcher.on('all', (_event, file) => {
          if (runbookId(dirs, file)) loadAll(dirs, evidenceDir, context).catch((error) => context.logger.error(String(error)));
        });
      }
    },
  };
}

async function loadAll(dirs: readonly string[], evidenceDir: string | undefined, context: LoaderContext): Promise<void> {
  const { store, parseData, renderMarkdown, generateDigest, config } = context;
  const root = fileURLToPath(config.root);
  const entries: Parameters<typeof store.set>[0][] = [];
  const sourceOf = new Map<string, string>();
  const pages = new Map<string, PublishedPage & { links: DigestLink[] }>();
  const files = await findRunbooks(dirs);
  for (const file of files) {
    const id = runbookId(dirs, file)!;
    const clash = sourceOf.get(id);
    if (clash) throw new Error(`Runbooks ${clash} and ${file} would both be published as "${id}"; rename one of them.`);
    sourceOf.set(id, file);
  }
  // Read before any renders (the placeholders' key is their hash), one at a time: a folder of
  // thousands of runbooks must not open them all at once.
  const sources: string[] = [];
  for (const file of files) sources.push(await readFile(file, 'utf8'));
  keyPlaceholders(sources);
  for (const [index, file] of files.entries()) {
    const id = runbookId(dirs, file)!;
    const source = sources[index]!;
    // Data only: a `---js` block would be code (see ../markdown/front-matter.ts).
    const { data: frontmatter, content, lines: frontmatterLines } = readFrontMatter(source, file);
    // Runbooks need no front matter: the first `#` heading is the title, cut from the body.
    const { title, body } = typeof frontmatter.title === 'string' ? { title: frontmatter.title, body: content } : extractTitleFast(content);
    const data = await parseData({
      id,
      data: { ...frontmatter, title: title ?? path.basename(file).replace(RUNBOOK_EXTENSION, '') },
      filePath: file,
    });
    const rendered = await renderMarkdown(body, { fileURL: pathToFileURL(file) });
    // The digest comes from the parse that rendered the page (./digest-plugin.ts), or else from our own.
    const digest = takeRenderedDigest(file) ?? digestMarkdown(file, body);
    shareBodyDigest(body, digest);
    // Link positions are the body's; the file has the front matter's lines above it.
    const links = digest.links.map((link) => ({ ...link, line: link.line + frontmatterLines }));
    // A build's evidence blocks are placeholders until the page pass (./evidence/deferred.ts): their ids are anchors already.
    const anchors = anchorsOf(rendered.html);
    for (const id of deferredAnchors(rendered.html)) anchors.add(id);
    pages.set(file, { file, links, anchors });
    entries.push({
      id,
      data,
      body,
      filePath: path.relative(root, file).split(path.sep).join('/'),
      digest: generateDigest(source),
      // In a build the page holds placeholders, not evidence blocks (see ./evidence/deferred.ts).
      rendered,
      assetImports: rendered.metadata?.imagePaths,
    });
  }
  // Links are checked once every page is rendered: anchors are the ids the site really has.
  const problems = [...pages.values()].flatMap((page) => checkLinks(page.file, page.links, { pages, runbookDirs: dirs, evidenceDir }));
  for (const warning of problems.filter((p) => p.severity === 'warning')) context.logger.warn(formatProblems([warning]));
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`${errors.length} broken link(s) in the runbooks:\n${formatProblems(errors)}`);

  if (!sourceOf.has(HOME_ID)) {
    const pages: PageLink[] = entries.map(({ id, data }) => ({ id, title: String(data.title) }));
    const markdown = homeMarkdown(pages, config.base.endsWith('/') ? config.base : `${config.base}/`);
    entries.push({
      id: HOME_ID,
      data: await parseData({ id: HOME_ID, data: { title: HOME_TITLE, sidebar: { hidden: true }, editUrl: false } }),
      body: markdown,
      digest: generateDigest(markdown),
      rendered: await renderMarkdown(markdown),
    });
  }
  // Replace everything at once, after every file rendered: pages of deleted or renamed
  // runbooks disappear, and a failed load leaves the previous pages in place.
  store.clear();
  for (const entry of entries) store.set(entry);
}
