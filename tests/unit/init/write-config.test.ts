/**
 * Every config `init` writes loads through the real config loader with the bindings init meant:
 * a property test over random `match` strings (quotes, colons, `#`, long, unicode, leading `- `,
 * backslashes, control characters), for a new config and for bindings added to existing ones.
 * The bug it guards: the default YAML line width folded a long double-quoted `match` onto a line
 * at column 0 and the next refresh exited 2 ("Implicit keys need to be on a single line").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TraefikRouter } from '../../../src/gateway/traefik-routing.ts';
import type { BoundItem } from '../../../src/init/bind-items.ts';
import type { GatewayFiles } from '../../../src/init/detect.ts';
import { addBindings, scalar, starterConfig } from '../../../src/init/write-config.ts';
import { parseConfig } from '../../../src/probes/config.ts';
import { parse as parseYaml } from 'yaml';

const router: TraefikRouter = {
  name: 'litellm-lan',
  rule: 'Host(`litellm.lan`)',
  entryPoints: ['web'],
  tls: false,
  line: 1,
  composeService: 'litellm',
  serviceFromLabel: false,
  middlewares: [],
  lines: {},
};
const GATEWAY: GatewayFiles = {
  litellmConfigs: [{ rel: 'config.yaml', servers: ['mcp_postgres'] }],
  composeFiles: [{ rel: 'docker-compose.yml', routing: { file: 'docker-compose.yml', composeService: 'litellm', enabled: true, routers: [router], services: [], middlewares: [], labels: [] } }],
  secretsFiles: [],
  examples: [],
  evaluationDirs: [],
};
const EXISTING = 'runbooks: [docs]\ngateway:\n  configFile: config.yaml\n  composeFile: docker-compose.yml\n  mcp:\n    servers: [mcp_postgres]\nhosts:\n  - name: lan\n    url: http://litellm.lan\nprobes: {}\n';

/** Strings as plan items are written, and worse. */
const piece = fc.oneof(
  fc.constantFrom('- ', '"', "'", ': ', ':', '#', ' #', '\\', '\\n', '`', '**', '[x] ', '{', '}', '[', ']', '&', '*', '!', '%', '@', '|', '>', '? ', ', ', '—', '✅ ', '⚠️', '𝔘', '🚀', 'é', '\t', ' ', 'null', 'true', '0x1F', '1.5'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.stringMatching(/^[a-z]{1,12}$/),
  fc.constant('x'.repeat(70)),
);
const matchText = fc.array(piece, { minLength: 1, maxLength: 30 }).map((parts) => parts.join('')).filter((text) => [...text].length >= 3); // the schema's minimum, in code points

const item = (match: string, index: number): BoundItem => ({
  file: `docs/plan-${index}.md`,
  line: index + 1,
  text: match.slice(0, 100),
  kind: 'checkbox',
  probes: ['mcp.catalog'],
  match,
  why: `"${match.slice(0, 40)}"`,
});

describe('the config init writes always loads', () => {
  it('scalar() round-trips one line for awkward strings', () => {
    for (const value of ['- a: b', 'a\nb', '#c', "it's: ok", 'a\\b', '\u0085x', '\u0000', '\ud800x', 'x'.repeat(200) + ' "q"', '\u2028']) {
      const written = scalar(value);
      expect(written).not.toMatch(/[\r\n]/);
      expect((parseYaml(`k: ${written}`) as { k: string }).k).toBe(value);
    }
  });

  it('writes tens of thousands of bindings (no spread of every line into one call)', () => {
    const bound = Array.from({ length: 60_000 }, (_, i) => item(`Plan item number ${i} of a very large plan`, i));
    const starter = starterConfig({ runbooks: ['docs'], evaluationDir: 'evaluation', gateway: GATEWAY, bound, decisions: bound.map((b) => ({ ...b, reason: 'a decision', decision: true })) });
    expect(starter.text.split('\n').length).toBeGreaterThan(4 * 60_000);
    expect(addBindings(EXISTING, bound)!.length).toBeGreaterThan(EXISTING.length);
  });

  it('a new config, and bindings added to existing ones, load with the same bindings (property)', () => {
    fc.assert(
      fc.property(fc.array(matchText, { minLength: 1, maxLength: 5 }), (matches) => {
        const bound = matches.map(item);
        const expected = bound.map((b) => ({ match: b.match, file: b.file, probes: b.probes }));
        const starter = starterConfig({ runbooks: ['docs'], evaluationDir: 'evaluation', gateway: GATEWAY, bound, decisions: [] });
        expect(starter.todo).toEqual([]);
        expect(parseConfig(starter.text, '/ws/proofbook.config.yaml').plan.bindings).toEqual(expected);
        const shapes = [EXISTING, `${EXISTING}plan:\n  decisions: []\n`, `${EXISTING}plan:\n  bindings: []\n`, `${EXISTING}plan:\n  bindings:\n    - match: Old item\n      probes: [mcp.catalog]\n`];
        for (const shape of shapes) {
          const updated = addBindings(shape, bound)!;
          const loaded = parseConfig(updated, '/ws/proofbook.config.yaml').plan.bindings;
          expect(loaded.slice(shape.includes('Old item') ? 1 : 0)).toEqual(expected);
        }
        // Decisions are suggested commented out: the comment must not break the file either.
        const withDecisions = starterConfig({
          runbooks: ['docs'],
          evaluationDir: 'evaluation',
          gateway: GATEWAY,
          bound: [],
          decisions: matches.map((match, i) => ({ file: `docs/${i}.md`, line: i, text: match, reason: 'a decision', decision: true, match })),
        });
        expect(parseConfig(withDecisions.text, '/ws/proofbook.config.yaml').plan.decisions).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
