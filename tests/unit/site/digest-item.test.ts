/**
 * digestItem reads an item's text and status mark in one walk; it must say exactly what the two
 * separate readings say (mdast-util-to-string without HTML, and itemMark) on every list item of
 * the repository's runbooks, the site fixture and a document of awkward shapes.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ListItem } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../../src/rewrite/regions.ts';
import { digestItem, itemMark } from '../../../src/site/runbook-digest.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');

const AWKWARD = `- ✅ plain done
- [x] ticked with \`code ✅\` and <b>html</b>
- text with ![alt ❌ text](img.png) then ⚠️ later
- \`✅ only in code\` then nothing
- **✅ bold** [link ❌](x.md)
- group
  - ✅ child
1. ❌ numbered <!-- comment ✅ -->
- > quoted ✅

  second paragraph ❌
-
`;

async function markdownFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.md')).map((f) => path.join(dir, f));
}

describe('digestItem', () => {
  it('agrees with toString and itemMark on every list item', async () => {
    const files = [...(await markdownFiles(path.join(REPO, 'content'))), ...(await markdownFiles(path.join(REPO, 'tests/fixtures/site/content')))];
    const texts = [AWKWARD, ...(await Promise.all(files.map((f) => readFile(f, 'utf8'))))];
    let items = 0;
    for (const text of texts) {
      visit(parseMarkdown(text), 'listItem', (item: ListItem) => {
        items++;
        const first = item.children[0];
        expect(digestItem(item)).toEqual({ offset: item.position!.start.offset, mark: itemMark(item), text: first ? toString(first, { includeHtml: false }).toLowerCase() : '' });
      });
    }
    expect(items).toBeGreaterThan(50);
  });
});
