/**
 * `--report` and `--check` see success claims in every item shape real runbooks use: task items
 * whose text starts with bold, code or a link (remark-gfm puts their `[x]` inside the paragraph),
 * and items that start with their status mark.
 */
import { describe, expect, it } from 'vitest';
import { findClaims } from '../../../src/check/claims.ts';

const options = { bindings: [], decisions: [], knownProbes: ['mcp.catalog'] };
const marks = (text: string) => findClaims(text, 'plan.md', options).map((claim) => [claim.line, claim.kind, claim.mark]);

describe('claims in real-world item shapes', () => {
  it('a ticked box whose text starts with bold, code or a link', () => {
    const text = ['- [x] **Phase 1**: Base framework (8/8 tasks)', '- [x] `codex mcp list` shows the servers', '- [x] [Catalog](x.md) lists every tool', '- [ ] **Phase 2**: not yet'].join('\n');
    expect(marks(text)).toEqual([
      [1, 'checkbox', '[x]'],
      [2, 'checkbox', '[x]'],
      [3, 'checkbox', '[x]'],
    ]);
  });

  it('an item that starts with its status mark claims by the mark, not by words in its text', () => {
    const text = ['- ✅ Read/write to the memory database only', '1. ✅ DONE: catalog lists the tools', '- ❌ Completed the migration (it failed)'].join('\n');
    expect(marks(text)).toEqual([
      [1, 'lead', '✅'],
      [2, 'lead', '✅'],
    ]);
  });
});
