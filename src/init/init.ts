/**
 * `proofbook init`: detect → which documents are about the gateway → propose regions → bind plan
 * items → starter config, as one plan of file changes (nothing written), then `applyInit` writes
 * them all, each atomically.
 *
 * Each document is parsed once: its tree serves the region proposals, its structure (sites,
 * headings, `Last Updated`) and the binding of its items. Regions are inserted beside the blocks
 * they supersede unless a proposal is replaced explicitly (`replace`), so init itself never
 * removes a hand-written byte. Documents not about the gateway are reported, with why, and left
 * alone. What init prints goes through `redactor` (redaction.ts).
 *
 * Planning reads every document before anything is written; a malformed marker or a file that
 * is not UTF-8 stops init with `file:line:col` and nothing written, as it stops a refresh.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Root } from 'mdast';
import { parse as parseYaml } from 'yaml';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { UsageError } from '../model/errors.ts';
import { parseMarkdown } from '../rewrite/regions.ts';
import { analyzeDocument, type Range } from '../rewrite/structure.ts';
import { bindItems, type BoundItem, type ExistingBinding, type UnboundItem } from './bind-items.ts';
import { detect, type DocFile, type GatewayFiles } from './detect.ts';
import { aboutGateway, gatewayTerms, type ConfiguredGateway, type GatewayTerms } from './gateway-names.ts';
import { proposeRegions, shiftedOffset, supersededBeside, type RegionProposal } from './propose-regions.ts';
import { initRedactor } from './redaction.ts';
import type { Redactor } from '../secrets/redactor.ts';
import { lastAtOrBefore, lineStarts } from '../formats/positions.ts';
import { addBindings, composeEnvFiles, starterConfig } from './write-config.ts';

export interface InitOptions {
  /** The folder of hand-written docs (and usually the gateway's files). */
  root: string;
  /** Where the config is (or will be) — default `<root>/proofbook.config.yaml`. */
  configPath?: string;
  /** Registered probe ids: only these are bound. */
  probeIds: string[];
  /**
   * Proposals to make as wraps, replacing the hand-written block they supersede on the first
   * refresh: `<file>:<line>` (the block's first line, as the report shows it), `<file>:<region id>`
   * or a region id (all its proposals). A selector that matches no proposal is a usage error.
   */
  replace?: string[];
  /** The Markdown parser (tests count its calls: each document is parsed once). */
  parse?: (text: string) => Root;
}

export interface FileChange {
  /** Absolute path. */
  file: string;
  /** Path relative to the config's folder. */
  rel: string;
  /** Undefined when the file is created. */
  before?: string;
  after: string;
}

export interface InitPlan {
  root: string;
  configPath: string;
  /** Every Markdown file, and whether it is about the gateway (init binds and proposes only there). */
  docs: (Pick<DocFile, 'rel' | 'kind' | 'planSignals'> & { about: boolean; why: string })[];
  /** Documents left alone because they are not about the gateway, and why. */
  skipped: { file: string; reason: string }[];
  gateway: GatewayFiles;
  /** The gateway's names init judged documents and blocks by. */
  names: GatewayTerms;
  regions: (RegionProposal & { file: string })[];
  bound: BoundItem[];
  unbound: UnboundItem[];
  /** `Last Updated` dates refresh-docs will keep (docs with regions or bound items): they follow the evidence. */
  lastUpdated: { file: string; line: number }[];
  config: {
    file: string;
    action: 'create' | 'update' | 'unchanged' | 'manual';
    /** Fields left empty for the user to fill in (create). */
    todo: string[];
  };
  /** Every file init would change or create, in path order. */
  changes: FileChange[];
  /** Hides the workspace's secrets (and generic credential forms) in whatever init prints. */
  redactor: Redactor;
}

/** An existing config, read raw (an invalid one still has bindings and names to reuse). */
interface ExistingConfig {
  bindings: ExistingBinding[];
  gateway: ConfiguredGateway & { keyEnvVar?: string };
}

function readExistingConfig(configText: string | undefined, configDir: string): ExistingConfig {
  const existing: ExistingConfig = { bindings: [], gateway: {} };
  if (configText === undefined) return existing;
  let raw: Record<string, unknown> | null;
  try {
    raw = parseYaml(configText) as Record<string, unknown> | null;
  } catch {
    return existing; // an unreadable config is refresh-docs' to report; init only appends to a readable one
  }
  const record = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  const plan = record(raw?.plan);
  for (const entry of [...(Array.isArray(plan.bindings) ? plan.bindings : []), ...(Array.isArray(plan.decisions) ? plan.decisions : [])]) {
    const binding = record(entry);
    if (typeof binding.match === 'string') existing.bindings.push({ match: binding.match, ...(typeof binding.file === 'string' ? { file: binding.file } : {}) });
  }
  const gateway = record(raw?.gateway);
  const legacy = record(record(raw?.probes)['mcp.catalog']);
  const abs = (file: string) => path.resolve(configDir, file);
  existing.gateway = {
    servers: [...strings(record(gateway.mcp).servers), ...strings(legacy.servers)],
    hostUrls: (Array.isArray(raw?.hosts) ? raw.hosts : []).map((h) => record(h).url).filter((u): u is string => typeof u === 'string'),
    secretsFiles: strings(raw?.secretsFiles).map(abs),
    files: [gateway.configFile, gateway.composeFile].filter((f): f is string => typeof f === 'string'),
    ...(typeof gateway.keyEnvVar === 'string' ? { keyEnvVar: gateway.keyEnvVar } : {}),
  };
  return existing;
}

/** A `--replace` selector and whether it matched a proposal. */
interface ReplaceSelector {
  text: string;
  matches: (file: string, id: string, from: number) => boolean;
  used: boolean;
}

function replaceSelectors(selectors: string[]): ReplaceSelector[] {
  return selectors.map((text) => {
    const at = /^(.*):(\d+)$/.exec(text);
    const named = /^(.*):([A-Za-z][\w.-]*)$/.exec(text);
    const sameFile = (file: string, wanted: string) => file === wanted || file.endsWith(`/${wanted}`);
    const matches = at
      ? (file: string, _id: string, from: number) => sameFile(file, at[1]!) && from === Number(at[2])
      : named
        ? (file: string, id: string) => sameFile(file, named[1]!) && id === named[2]
        : (_file: string, id: string) => id === text;
    return { text, matches, used: false };
  });
}

export async function planInit(options: InitOptions): Promise<InitPlan> {
  const root = path.resolve(options.root);
  const configPath = path.resolve(options.configPath ?? path.join(root, 'proofbook.config.yaml'));
  const configDir = path.dirname(configPath);
  const parse = options.parse ?? parseMarkdown;
  // Paths found under `root`, as the config (relative to its own folder) names them.
  const fromConfig = (relToRoot: string) => path.relative(configDir, path.join(root, relToRoot)).split(path.sep).join('/') || '.';
  const detection = await detect(root);
  const gateway = detection.gateway;

  const configExists = existsSync(configPath);
  const configText = configExists ? await readFile(configPath, 'utf8') : undefined;
  const existingConfig = readExistingConfig(configText, configDir);
  const existing = existingConfig.bindings;
  const names = gatewayTerms(gateway, existingConfig.gateway);

  const compose = gateway.composeFiles[0];
  const composeService = compose?.routing?.composeService;
  const composeText = compose ? await readFile(path.join(root, compose.rel), 'utf8') : '';
  const envFiles = compose ? composeEnvFiles(composeText, compose.rel, composeService) : [];
  const redactor = await initRedactor({
    secretsFiles: [
      ...[...gateway.secretsFiles, ...envFiles].map((file) => path.resolve(root, file)), // an absolute env_file stays absolute
      ...(existingConfig.gateway.secretsFiles ?? []),
    ],
    litellmConfigs: gateway.litellmConfigs.map((c) => path.join(root, c.rel)),
    keyEnvVars: [existingConfig.gateway.keyEnvVar ?? 'LITELLM_MASTER_KEY', ...gateway.litellmConfigs.flatMap((c) => (c.keyEnvVar ? [c.keyEnvVar] : []))],
  });
  // Nothing init writes to the config may hold what the redactor would hide.
  const acceptMatch = (match: string) => redactor.redact(match) === match;
  const markerOptions = composeService && composeService !== 'litellm' ? { 'secrets.audit': { service: composeService } } : undefined;
  const selectors = replaceSelectors(options.replace ?? []);

  const changes: FileChange[] = [];
  const regions: InitPlan['regions'] = [];
  const bound: BoundItem[] = [];
  const unbound: UnboundItem[] = [];
  const lastUpdated: InitPlan['lastUpdated'] = [];
  const docs: InitPlan['docs'] = [];
  const skipped: InitPlan['skipped'] = [];
  for (const doc of detection.docs) {
    const rel = fromConfig(doc.rel);
    const relevance = aboutGateway(doc.rel, doc.text, names);
    docs.push({ rel, kind: doc.kind, planSignals: doc.planSignals, about: relevance.about, why: relevance.why });
    if (!relevance.about) {
      skipped.push({ file: rel, reason: relevance.why });
      continue;
    }
    // The one parse of this document.
    const bom = doc.text.startsWith('\uFEFF') ? 1 : 0;
    const tree = parse(doc.text.slice(bom));
    const structure = analyzeDocument(doc.text, doc.file, () => tree);
    const replace = ({ id, from }: { id: string; from: number }) => {
      const chosen = selectors.filter((s) => s.matches(rel, id, from));
      for (const selector of chosen) selector.used = true;
      return chosen.length > 0;
    };
    const proposed = proposeRegions(doc.text, doc.file, { plan: doc.kind === 'plan', markerOptions, gateway: names, replace, tree });
    regions.push(...proposed.proposals.map((p) => ({ ...p, file: rel })));
    const lineOf = lineCounter(proposed.text, (offset) => shiftedOffset(offset, proposed.insertions));
    // Items of a block a region supersedes are the region's to show (generated once replaced), not bound.
    const superseded = [
      ...proposed.proposals.flatMap((p): Range[] => (p.supersedes ? [lineRange(doc.text, p.supersedes.from, p.supersedes.to)] : [])),
      ...supersededBeside(tree, doc.text.slice(bom), structure.regions.map((r) => ({ ...r, markerStart: r.markerStart - bom })), names).map(([a, b]): Range => [a + bom, b + bom]),
    ];
    let boundHere = 0;
    if (doc.kind === 'plan') {
      const result = bindItems(doc.text, doc.file, rel, { probeIds: options.probeIds, existing, parsed: { structure, tree }, gateway: names, exclude: superseded, lineOf, acceptMatch });
      // Their text and why go into the config's comments: nothing there may hold a secret either.
      bound.push(...result.bound.map((b) => ({ ...b, text: redactor.redact(b.text), why: redactor.redact(b.why) })));
      unbound.push(...result.unbound.map((u) => ({ ...u, text: redactor.redact(u.text) })));
      boundHere = result.bound.length;
    }
    if (proposed.text !== doc.text) changes.push({ file: doc.file, rel, before: doc.text, after: proposed.text });
    if (structure.regions.length || proposed.proposals.length || boundHere || existing.some((e) => e.file && (rel.endsWith(e.file) || doc.file.endsWith(e.file)))) {
      for (const entry of structure.lastUpdated) lastUpdated.push({ file: rel, line: lineOf(entry.date[0]) });
    }
  }
  const unused = selectors.filter((s) => !s.used);
  if (unused.length) {
    const choices = regions.filter((r) => r.supersedes).map((r) => `${r.file}:${r.supersedes!.from} (${r.id})`);
    throw new UsageError(
      `--replace ${unused.map((s) => s.text).join(', ')} matches no proposal that supersedes a hand-written block; ${choices.length ? `those that do: ${choices.join(', ')}` : 'no proposal supersedes one'}`,
    );
  }

  const config: InitPlan['config'] = { file: path.relative(root, configPath).split(path.sep).join('/') || path.basename(configPath), action: 'unchanged', todo: [] };
  if (configText === undefined) {
    const docDirs = detection.docs.map((d) => (d.rel.includes('/') ? d.rel.split('/')[0]! : '.'));
    const runbooks = docDirs.includes('.') ? ['.'] : [...new Set(docDirs)].sort();
    const starter = starterConfig({
      runbooks: (runbooks.length ? runbooks : ['.']).map(fromConfig),
      evaluationDir: fromConfig(gateway.evaluationDirs[0] ?? 'evaluation'),
      gateway: rebaseGateway(gateway, fromConfig),
      envFiles: envFiles.map((file) => (path.isAbsolute(file) ? file : fromConfig(file))),
      bound,
      decisions: unbound.filter((u) => u.decision),
    });
    config.action = 'create';
    config.todo = starter.todo;
    changes.push({ file: configPath, rel: path.basename(configPath), after: starter.text });
  } else if (bound.length) {
    const updated = addBindings(configText, bound);
    if (updated === undefined) config.action = 'manual';
    else {
      config.action = 'update';
      changes.push({ file: configPath, rel: path.basename(configPath), before: configText, after: updated });
    }
  }

  return {
    root,
    configPath,
    docs,
    skipped,
    gateway: rebaseGateway(gateway, fromConfig),
    names,
    regions,
    bound,
    unbound,
    lastUpdated,
    config,
    changes: changes.sort((a, b) => a.rel.localeCompare(b.rel)),
    redactor,
  };
}

/** The 1-based line of an offset (mapped first), by binary search over the text's line starts. */
function lineCounter(text: string, map: (offset: number) => number): (offset: number) => number {
  const starts = lineStarts(text);
  return (offset) => lastAtOrBefore(starts, map(offset)) + 1;
}

/** Offsets of lines `from`…`to` (1-based, inclusive) of a text. */
function lineRange(text: string, from: number, to: number): Range {
  let line = 1;
  let start = 0;
  let end = text.length;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\n') continue;
    line++;
    if (line === from) start = i + 1;
    if (line === to + 1) {
      end = i;
      break;
    }
  }
  return [from <= 1 ? 0 : start, end];
}

function rebaseGateway(gateway: GatewayFiles, rebase: (rel: string) => string): GatewayFiles {
  return {
    litellmConfigs: gateway.litellmConfigs.map((c) => ({ ...c, rel: rebase(c.rel) })),
    composeFiles: gateway.composeFiles.map((c) => ({ ...c, rel: rebase(c.rel) })),
    secretsFiles: gateway.secretsFiles.map(rebase),
    examples: gateway.examples.map(rebase),
    evaluationDirs: gateway.evaluationDirs.map(rebase),
  };
}

/** Writes every change: each file to a temp file, synced, renamed over the original. */
export async function applyInit(plan: InitPlan): Promise<string[]> {
  for (const change of plan.changes) {
    // A document edited since it was read is not overwritten with a plan made from the old text.
    if (change.before !== undefined && (await readFile(change.file, 'utf8')) !== change.before) {
      throw new Error(`${change.rel} changed while init was planning; run init again`);
    }
  }
  for (const change of plan.changes) await writeFileAtomic(change.file, change.after);
  return plan.changes.map((c) => c.file);
}
