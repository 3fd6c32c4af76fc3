/**
 * The reference docs (docs/configuration.md, docs/probes.md) are generated from the zod schemas,
 * the probe registry and each probe's guide.md (src/config/reference.ts): this fails as soon as a
 * field, default, description, probe or guide changes without `npm run docs:generate` being run,
 * so they cannot drift.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATE_DOCS_COMMAND, generatedDocs, referenceRows, REGIONS_OF_NO_PROBE, renderConfigReference, renderProbesDoc } from '../../../src/config/reference.ts';
import { REGION_IDS } from '../../../src/render/index.ts';
import { PLAN_SUMMARY } from '../../../src/rewrite/plan-summary.ts';
import { FULL_CONFIG_SCHEMA } from '../../../src/probes/config.ts';
import { withGuides } from '../../../src/probes/guides.ts';
import { PROBE_DEFINITIONS } from '../../../src/probes/registry.ts';

const PACKAGE_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const PROBES_WITH_GUIDES = await withGuides(PROBE_DEFINITIONS);

describe('config reference', () => {
  for (const doc of generatedDocs(FULL_CONFIG_SCHEMA, PROBES_WITH_GUIDES)) {
    it(`${doc.path} is generated from the current code (run \`${GENERATE_DOCS_COMMAND}\` if not)`, async () => {
      const text = await readFile(path.join(PACKAGE_ROOT, doc.path), 'utf8').catch(() => '(missing)');
      expect(text === doc.text, `${doc.path} is out of date: run \`${GENERATE_DOCS_COMMAND}\``).toBe(true);
    });
  }

  it('names every region that is not a probe id, and only those', () => {
    const probeIds: string[] = PROBE_DEFINITIONS.map((definition) => definition.id);
    const others = [...REGION_IDS.filter((id) => !probeIds.includes(id)), PLAN_SUMMARY].sort();
    expect(REGIONS_OF_NO_PROBE.map((region) => region.id).sort()).toEqual(others);
    const markdown = renderProbesDoc(PROBES_WITH_GUIDES);
    for (const id of others) expect(markdown).toContain(`- \`${id}\`: `);
  });

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

  it("puts each probe's guide.md under its own section, and nothing for a probe without one", () => {
    const markdown = renderProbesDoc(PROBES_WITH_GUIDES);
    const section = (id: string) => markdown.split(`\n## \`${id}\`\n`)[1]!.split('\n## ')[0]!;
    const withGuide = PROBES_WITH_GUIDES.filter((probe) => probe.guide !== undefined);
    expect(withGuide.map((probe) => probe.id)).toContain('mcp.catalog');
    for (const probe of withGuide) expect(section(probe.id)).toContain(probe.guide!.trim());
    expect(section('mcp.catalog')).toContain('On LiteLLM 1.77.1 expect **warn**: `/mcp/sse` never opens an SSE session');

    const bare = renderProbesDoc([{ id: 'example.check', kind: 'static', version: '1', summary: 'Checks an example.', options: PROBE_DEFINITIONS[0].options }]);
    const guided = renderProbesDoc([{ id: 'example.check', kind: 'static', version: '1', summary: 'Checks an example.', options: PROBE_DEFINITIONS[0].options, guide: '**Checks:** the example.\n' }]);
    expect(guided.replace('**Checks:** the example.\n\n', '')).toBe(bare);
    expect(guided).toMatch(/Checks an example\.\n\n\*\*Checks:\*\* the example\.\n\nStatic, version 1\./);
  });
});
