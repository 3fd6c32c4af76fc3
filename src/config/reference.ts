/**
 * The generated reference docs: docs/configuration.md (every config field) and docs/probes.md
 * (every probe, its guide and its options), walked from the zod schemas (their JSON Schema, via
 * `z.toJSONSchema`): one row per field — path, type, default, description — so the reference is
 * the schemas' own descriptions and cannot drift from them (tests/unit/config/config-reference.test.ts).
 *
 * `scripts/generate-docs.ts` writes them (`npm run docs:generate`); the probes are passed in, with
 * each probe's guide.md already read from its folder (src/probes/guides.ts), so the config stage
 * imports no probe and reads no file.
 */
import { z } from 'zod';
import { ConfigSchema } from './schema.ts';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  minimum?: number;
  maximum?: number;
}

export interface ReferenceRow {
  path: string;
  type: string;
  default?: string;
  required: boolean;
  description: string;
}

function typeOf(schema: JsonSchema): string {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeOf).join(' or ');
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type;
  if (type === 'array') {
    const item = schema.items ? typeOf(schema.items) : 'any';
    return / /.test(item) ? `(${item})[]` : `${item}[]`;
  }
  if (type === 'object' && !schema.properties && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return `map of ${typeOf(schema.additionalProperties)}`;
  }
  if (type === 'string' && schema.format === 'uri') return 'URL';
  if (type === 'string' && schema.format === 'ipv4') return 'IPv4 address';
  if (type === 'integer') {
    const max = schema.maximum !== undefined && schema.maximum < 2 ** 31 ? schema.maximum : undefined;
    if (schema.minimum !== undefined && max !== undefined) return `integer (${schema.minimum}–${max})`;
    return schema.minimum !== undefined ? `integer ≥ ${schema.minimum}` : 'integer';
  }
  return type ?? 'any';
}

function defaultOf(schema: JsonSchema): string | undefined {
  if (!('default' in schema)) return undefined;
  const value = schema.default;
  // An object's default is its fields' defaults, listed on their own rows.
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.keys(value).length ? undefined : '`{}`';
  const text = JSON.stringify(value);
  return text.length > 60 ? '(see description)' : `\`${text}\``;
}

/** Every field of the config, depth first in schema order. */
export function referenceRows(schema: z.ZodType = ConfigSchema): ReferenceRow[] {
  const root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const rows: ReferenceRow[] = [];
  const walk = (schema: JsonSchema, prefix: string) => {
    const required = new Set(schema.required ?? []);
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const name = /^[A-Za-z_][\w]*$/.test(key) ? key : `"${key}"`;
      const fieldPath = prefix ? `${prefix}.${name}` : name;
      rows.push({
        path: fieldPath,
        type: typeOf(child),
        ...(defaultOf(child) !== undefined ? { default: defaultOf(child) } : {}),
        required: required.has(key),
        description: (child.description ?? '').replace(/\s+/g, ' ').trim(),
      });
      if (child.properties) walk(child, fieldPath);
      else if (child.items?.properties) walk(child.items, `${fieldPath}[]`);
      else if (child.additionalProperties && typeof child.additionalProperties === 'object' && child.additionalProperties.properties) {
        walk(child.additionalProperties, `${fieldPath}.<name>`);
      } else if (child.additionalProperties && typeof child.additionalProperties === 'object' && child.additionalProperties.items?.properties) {
        walk(child.additionalProperties.items, `${fieldPath}.<name>[]`);
      }
    }
  };
  walk(root, '');
  return rows;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
const tableRow = (row: ReferenceRow) =>
  `| \`${row.path}\` | ${cell(row.type)} | ${row.default ? cell(row.default) : row.required ? '**required**' : '—'} | ${cell(row.description)} |`;

/** The reference as Markdown: a table of every field. */
export function renderConfigReference(schema: z.ZodType = ConfigSchema): string {
  const rows = referenceRows(schema);
  return [
    'Every field, generated from the schema\'s descriptions (`src/config/schema.ts`). Paths with `[]` are list items,',
    '`<name>` is a key you choose; **required** fields have no default.',
    '',
    '| Field | Type | Default | Description |',
    '|---|---|---|---|',
    ...rows.map(tableRow),
  ].join('\n');
}

/** The command that regenerates the generated reference docs; drift messages name it. */
export const GENERATE_DOCS_COMMAND = 'npm run docs:generate';

const generatedNotice = (from: string) =>
  `<!-- Generated by \`${GENERATE_DOCS_COMMAND}\` from ${from}; do not edit (a test fails when it is out of date). -->`;

/**
 * What the probes reference needs of a probe: its definition's public face. Structural, so the
 * config stage renders it without importing the probes stage (the caller passes the registry).
 */
export interface ReferencedProbe {
  id: string;
  kind: string;
  version: string;
  summary: string;
  options: z.ZodType;
  /** The probe's `guide.md` (what it checks, what a failure means), when its folder has one. */
  guide?: string;
}

/** docs/configuration.md: the whole config file, every field. */
export function renderConfigurationDoc(schema: z.ZodType = ConfigSchema): string {
  return [
    generatedNotice('src/config/schema.ts and every probe\'s `options.ts`'),
    '',
    '# Configuration reference: `proofbook.config.yaml`',
    '',
    'A command that reads this file validates it first: a wrong or unknown field stops the command before anything',
    'runs, naming the file, line, column, the field and what the field is for. Relative paths start at the folder',
    'that holds the config file. `npm run proofbook -- init <folder>` writes a starter config for existing runbooks.',
    '',
    'The options of each probe (`probes.<id>`) are listed here with the rest, and by probe, with what each probe',
    'checks, in [probes.md](probes.md).',
    '',
    renderConfigReference(schema),
    '',
  ].join('\n');
}

/**
 * The regions drawn from more than one probe's evidence (src/render/index.ts, src/rewrite/plan-summary.ts),
 * which the config stage cannot import; a test holds this list to the renderers'.
 */
export const REGIONS_OF_NO_PROBE: { id: string; what: string }[] = [
  { id: 'clients.matrix', what: 'client × host: config, listing, invocation, merged from the client probes' },
  { id: 'plan.summary', what: "per-phase progress of the same document's bound items" },
  {
    id: 'upgrade.preview',
    what:
      'what moving LiteLLM to another version would change — probes and client cells that change with links to both runs, config keys the target no longer reads — from the newest `npm run proofbook -- upgrade-preview --to <version>`, or the version `to=<version>` on its marker names; until one exists, how to make one',
  },
];

/** GitHub's anchor of a heading that is only `` `id` ``. */
const anchorOf = (id: string) => id.toLowerCase().replace(/[^a-z0-9_-]/g, '');

/** docs/probes.md: every probe in report order, then each probe's guide and options. */
export function renderProbesDoc(probes: readonly ReferencedProbe[]): string {
  const lines = [
    generatedNotice('the probe definitions listed in src/probes/registry.ts'),
    '',
    '# Probes',
    '',
    'Every probe Proofbook runs, in the order reports list them. `static` probes read files; `live` probes talk to',
    'the running gateway. The version is recorded with each run\'s evidence and changes when what the probe checks',
    'changes. A probe\'s options go under `probes.<id>` in `proofbook.config.yaml` (an unknown option is an error);',
    'the whole file is described in [configuration.md](configuration.md). Facts of the gateway that several probes',
    'share (hosts, the MCP path and the servers it serves) are top-level config fields, and a probe\'s own option',
    'overrides them where it has one.',
    '',
    'Each probe\'s section says what it checks and what to do when it fails, with the behaviours of LiteLLM 1.77.1',
    '(the version the lab runs) that make some results a **warn** rather than a pass. A probe\'s status is one of',
    '`pass`, `warn`, `fail`, `skip`, `error` (it crashed or timed out; the reason is in the evidence) and',
    '`known-limitation` (⚠️: everything checkable is right, and what remains is a documented limit of the product).',
    '',
    'Together the client probes fill the client matrix (`clients.matrix` region and the dashboard): Codex\'s config and',
    'invocation cells come from a real run, Open WebUI\'s invocation cell is the known limitation. Open WebUI itself is',
    'not installed in the lab (its package pulls several GB); its live check is tested against a small double of the',
    'two admin endpoints.',
    '',
    'A probe with a region draws it where a runbook marks it with `<!-- proofbook:start <id> -->` … `<!-- proofbook:end <id> -->`',
    '(its section below says what it shows). These regions are named after no probe:',
    '',
    ...REGIONS_OF_NO_PROBE.map((region) => `- \`${region.id}\`: ${region.what}.`),
    '',
    'Each probe lives in its own folder under `src/probes/` (`.` in the id becomes `-`, e.g. `src/probes/mcp-catalog/`),',
    'its options in the folder\'s `options.ts` and its part of this page in `guide.md`; adding one is described in',
    '[contributing.md](contributing.md).',
    '',
    '| Probe | Kind | Version | What it checks |',
    '|---|---|---|---|',
    ...probes.map((probe) => `| [\`${probe.id}\`](#${anchorOf(probe.id)}) | ${probe.kind} | ${cell(probe.version)} | ${cell(oneLine(probe.summary))} |`),
  ];
  for (const probe of probes) {
    const rows = referenceRows(probe.options);
    const optional = probe.options.safeParse(undefined).success;
    lines.push(
      '',
      `## \`${probe.id}\``,
      '',
      oneLine(probe.summary),
      '',
      ...(probe.guide?.trim() ? [probe.guide.trim(), ''] : []),
      `${probe.kind === 'live' ? 'Live' : 'Static'}, version ${probe.version}. ` +
        (optional
          ? `Options under \`probes."${probe.id}"\`, all optional.`
          : `Options under \`probes."${probe.id}"\`; the section is required (it has required fields).`),
      '',
    );
    if (rows.length === 0) lines.push('No options.');
    else lines.push('| Option | Type | Default | Description |', '|---|---|---|---|', ...rows.map(tableRow));
  }
  lines.push('');
  return lines.join('\n');
}

/** Each generated doc, by its path from the package root. */
export function generatedDocs(schema: z.ZodType, probes: readonly ReferencedProbe[]): { path: string; text: string }[] {
  return [
    { path: 'docs/configuration.md', text: renderConfigurationDoc(schema) },
    { path: 'docs/probes.md', text: renderProbesDoc(probes) },
  ];
}
