/**
 * The rule of the probe context, enforced: a probe reads its options parsed (`context.options`)
 * and redacts with its run's redactor (`context.redactor`), which the runner scrubs its outcome
 * with. So no file under src/probes/ — but the kit and the runner (with the context it builds)
 * — builds a Redactor or parses a probe's option schema itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const PROBES = path.resolve(import.meta.dirname, '..', '..', '..', 'src', 'probes');
/** Where options are parsed and redactors built, for every probe. */
const EXEMPT = [/^kit\//, /^runner\.ts$/, /^context\.ts$/];

const RULES: { rule: string; pattern: RegExp }[] = [
  { rule: 'builds a Redactor (use context.redactor)', pattern: /\bnew\s+Redactor\s*\(/ },
  {
    rule: 'parses a probe option schema (use context.options)',
    pattern: /\b(?:\w*OptionsSchema|optionsSchema|options)\s*\.\s*(?:safeParse|parse|safeParseAsync|parseAsync|decode|safeDecode)\s*\(/,
  },
];

/** `file:line: rule` for every line of `text` that breaks a rule. */
function violations(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, index) => RULES.filter(({ pattern }) => pattern.test(line)).map(({ rule }) => `${file}:${index + 1}: ${rule}`));
}

function sourceFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path.join(dir, entry.name), `${relative}/`);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

describe('the probe context rule', () => {
  it('no probe file builds a Redactor or parses its options', () => {
    const files = sourceFiles(PROBES).filter((file) => !EXEMPT.some((exempt) => exempt.test(file)));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) => violations(`src/probes/${file}`, readFileSync(path.join(PROBES, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it('catches both (the check itself)', () => {
    const text = [
      'const redactor = new Redactor([...context.secrets.map((e) => e.value), ...found]);',
      "const options = GatewayConfigOptionsSchema.parse(context.config.probes['gateway.config'] ?? {});",
      'const parsed = spec.optionsSchema.safeParse(raw);',
      'const again = definition.options.parse({});',
      'const fine = InvokeCallSchema.parse(call); const text = JSON.parse(body);',
    ].join('\n');
    expect(violations('probe.ts', text)).toEqual([
      'probe.ts:1: builds a Redactor (use context.redactor)',
      'probe.ts:2: parses a probe option schema (use context.options)',
      'probe.ts:3: parses a probe option schema (use context.options)',
      'probe.ts:4: parses a probe option schema (use context.options)',
    ]);
  });
});
