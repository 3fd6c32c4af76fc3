/**
 * A probe's folder is found from its id (src/probes/define.ts `probeFolderName`): files read from
 * disk next to the definition, like guide.md, rely on that rule holding for every registered
 * probe, and on no guide sitting in a folder no probe owns. Markdown is read, never imported.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeFolderName } from '../../../src/probes/define.ts';
import { probeGuidePath } from '../../../src/probes/guides.ts';
import { PROBE_DEFINITIONS } from '../../../src/probes/registry.ts';

const SRC = path.resolve(import.meta.dirname, '..', '..', '..', 'src');
const PROBES_DIR = path.join(SRC, 'probes');

describe('probe folders', () => {
  it("every registered probe's definition is the index.ts of the folder its id names", async () => {
    for (const definition of PROBE_DEFINITIONS) {
      const index = (await import(path.join(PROBES_DIR, probeFolderName(definition.id), 'index.ts'))) as { definition?: unknown };
      expect(index.definition, `${definition.id} → src/probes/${probeFolderName(definition.id)}/index.ts`).toBe(definition);
    }
  });

  it('a guide.md sits only in the folder of a registered probe', async () => {
    const owned = new Set(PROBE_DEFINITIONS.map((definition) => probeGuidePath(definition.id)));
    const folders = await readdir(PROBES_DIR, { withFileTypes: true });
    for (const folder of folders.filter((entry) => entry.isDirectory())) {
      const files = await readdir(path.join(PROBES_DIR, folder.name));
      if (files.includes('guide.md')) expect(owned, `src/probes/${folder.name}/guide.md belongs to no registered probe`).toContain(path.join(PROBES_DIR, folder.name, 'guide.md'));
    }
    expect(probeGuidePath('mcp.catalog')).toBe(path.join(PROBES_DIR, 'mcp-catalog', 'guide.md'));
  });

  it('nothing in src/ imports a Markdown file (guides are read from disk by the docs generator)', async () => {
    const files = (await readdir(SRC, { recursive: true })).filter((file) => /\.(ts|mjs|js)$/.test(file));
    const importsMarkdown = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"][^'"]+\.md(?:\?[^'"]*)?['"]/;
    const offenders: string[] = [];
    for (const file of files) if (importsMarkdown.test(await readFile(path.join(SRC, file), 'utf8'))) offenders.push(file);
    expect(offenders).toEqual([]);
  });
});
