/**
 * The reference docs (docs/configuration.md, docs/probes.md) are generated from the zod schemas
 * and the probe registry (src/config/reference.ts): this fails as soon as a field, default,
 * description or probe changes without `npm run docs:generate` being run, so they cannot drift.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATE_DOCS_COMMAND, generatedDocs, referenceRows, renderConfigReference, renderProbesDoc } from '../../../src/config/reference.ts';
import { FULL_CONFIG_SCHEMA } from '../../../src/probes/config.ts';
import { PROBE_DEFINITIONS } from '../../../src/probes/registry.ts';

const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

describe('config reference', () => {
  for (const doc of generatedDocs(FULL_CONFIG_SCHEMA, PROBE_DEFINITIONS)) {
    it(`${doc.path} is generated from the current code (run \`${GENERATE_DOCS_COMMAND}\` if not)`, async () => {
      const text = await readFile(path.join(PACKAGE_ROOT, doc.path), 'utf8').catch(() => '(missing)');
      expect(text === doc.text, `${doc.path} is out of date: run \`${GENERATE_DOCS_COMMAND}\``).toBe(true);
    });
  }

  it('lists every field with its type, default and description', () => {
    const rows = referenceRows(FULL_CONFIG_SCHEMA);
    const byPath = Object.fromEntries(rows.map((r) => [r.path, r]));
    expect(byPath['gateway.configFile']).toMatchObject({ type: 'string', required: true });
    expect(byPath['gateway.configFile']!.description).toContain("LiteLLM's `config.yaml`");
    expect(byPath['hosts[].url']).toMatchObject({ type: 'URL', required: true });
    expect(byPath['gateway.mcp.servers']).toMatchObject({ type: 'string[]', required: true });
    expect(byPath['probes."mcp.catalog".pingLimit']).toMatchObject({ type: 'integer', default: '`3`' });
    expect(byPath['probes."mcp.invoke".calls[].tool']).toMatchObject({ required: true });
    expect(byPath['site.evidence.maxLines']).toMatchObject({ default: '`200`' });
    expect(byPath['lab.litellmPort']).toMatchObject({ type: 'integer (1024–65535)', default: '`4000`' });
    // Every field says what it is for: the schema is the documentation.
    expect(rows.filter((r) => !r.description).map((r) => r.path)).toEqual([]);
    // One table row per field, pipes in types escaped.
    const markdown = renderConfigReference(FULL_CONFIG_SCHEMA);
    expect(markdown.split('\n').filter((l) => l.startsWith('| `')).length).toBe(rows.length);
    expect(markdown).toContain('| `probes."gateway.config".unexpectedServers` | "ignore" \\| "warn" \\| "fail" | `"warn"` |');
  });

  it('lists every probe of the registry with its kind, version, summary and options', () => {
    const markdown = renderProbesDoc(PROBE_DEFINITIONS);
    for (const definition of PROBE_DEFINITIONS) {
      expect(markdown).toContain(`| ${definition.kind} | ${definition.version} |`);
      expect(markdown).toContain(`\n## \`${definition.id}\`\n`);
      for (const row of referenceRows(definition.options)) expect(markdown).toContain(`| \`${row.path}\` |`);
    }
    expect(markdown).toContain('| `misleadingRejection` | "pass" \\| "warn" \\| "fail" | `"warn"` |');
  });
});
