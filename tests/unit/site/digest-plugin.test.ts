/**
 * The digest the site takes from the parse that renders each runbook (src/site/digest-plugin.ts)
 * reads most list items natively (satteri's textContent) instead of materialising them: it must
 * give exactly the items that digestMarkdown (a remark parse) gives, on the repository's runbooks,
 * the site fixture and a document of awkward shapes.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { markdownToHtml } from 'satteri';
import { describe, expect, it } from 'vitest';
import { digestPlugin, takeRenderedDigest } from '../../../src/site/digest-plugin.ts';
import { digestMarkdown } from '../../../src/site/runbook-digest.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');

const AWKWARD = `- ✅ plain done
- [x] ticked with \`code ✅\` and <b>html</b>
- [ ] open box, ![an image](i.png) and <i>html</i>
- text with ![alt ❌ text](img.png) then ⚠️ later
- \`✅ only in code\` then nothing
- **✅ bold** [link ❌](x.md)
- plain **Bold** \`Code\` [Link](y.md) ![Alt](z.png) <span>HTML</span>
- group
  - ✅ child
  - child without a mark
1. ❌ numbered <!-- comment ✅ -->
- > quoted ✅

  second paragraph ❌
- > quoted without a mark
-
`;

async function markdownFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.md')).map((f) => path.join(dir, f));
}

describe('the rendered digest', () => {
  it('has the same list items as a remark parse of the runbook', async () => {
    const dir = path.join(REPO, 'tests/fixtures/site/content');
    const files = [...(await markdownFiles(path.join(REPO, 'content'))), ...(await markdownFiles(dir))];
    const docs = [{ file: path.join(dir, 'awkward.md'), text: AWKWARD }, ...(await Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') }))))];
    let items = 0;
    for (const { file, text } of docs) {
      // Under a runbook folder, as the site registers it; the file itself need not exist.
      const runbookDirs = [path.dirname(file)];
      await markdownToHtml(text, { fileURL: pathToFileURL(file), mdastPlugins: [digestPlugin(runbookDirs)] });
      const rendered = takeRenderedDigest(file);
      expect(rendered, file).toBeDefined();
      expect(rendered!.items, file).toEqual(digestMarkdown(file, text).items);
      items += rendered!.items.length;
    }
    expect(items).toBeGreaterThan(50);
  });
});
