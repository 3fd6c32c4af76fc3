/**
 * `proofbook init`: detect → propose regions → bind plan items → starter config, as one plan of
 * file changes (nothing written), then `applyInit` writes them all, each atomically.
 *
 * Planning reads every document before anything is written; a malformed marker or a file that
 * is not UTF-8 stops init with `file:line:col` and nothing written, as it stops a refresh.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { analyzeDocument, positionOf } from '../rewrite/structure.ts';
import { bindItems, type BoundItem, type ExistingBinding, type UnboundItem } from './bind-items.ts';
import { detect, type DocFile, type GatewayFiles } from './detect.ts';
import { proposeRegions, type RegionProposal } from './propose-regions.ts';
import { addBindings, composeEnvFiles, starterConfig } from './write-config.ts';

export interface InitOptions {
  /** The folder of hand-written docs (and usually the gateway's files). */
  root: string;
  /** Where the config is (or will be) — default `<root>/proofbook.config.yaml`. */
  configPath?: string;
  /** Registered probe ids: only these are bound. */
  probeIds: string[];
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
  docs: Pick<DocFile, 'rel' | 'kind' | 'planSignals'>[];
  gateway: GatewayFiles;
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
}

export async function planInit(options: InitOptions): Promise<InitPlan> {
  const root = path.resolve(options.root);
  const configPath = path.resolve(options.configPath ?? path.join(root, 'proofbook.config.yaml'));
  const configDir = path.dirname(configPath);
  // Paths found under `root`, as the config (relative to its own folder) names them.
  const fromConfig = (relToRoot: string) => path.relative(configDir, path.join(root, relToRoot)).split(path.sep).join('/') || '.';
  const detection = await detect(root);
  const gateway = detection.gateway;

  const configExists = existsSync(configPath);
  const configText = configExists ? await readFile(configPath, 'utf8') : undefined;
  const existing: ExistingBinding[] = [];
  if (configText !== undefined) {
    try {
      const raw = parseYaml(configText) as { plan?: { bindings?: ExistingBinding[]; decisions?: ExistingBinding[] } } | null;
      for (const entry of [...(raw?.plan?.bindings ?? []), ...(raw?.plan?.decisions ?? [])]) {
        if (entry && typeof entry.match === 'string') existing.push({ match: entry.match, ...(entry.file ? { file: entry.file } : {}) });
      }
    } catch {
      // An unreadable config is refresh-docs' to report; init only appends to a readable one.
    }
  }

  const compose = gateway.composeFiles[0];
  const composeService = compose?.routing?.composeService;
  const markerOptions = composeService && composeService !== 'litellm' ? { 'secrets.audit': { service: composeService } } : undefined;

  const changes: FileChange[] = [];
  const regions: InitPlan['regions'] = [];
  const bound: BoundItem[] = [];
  const unbound: UnboundItem[] = [];
  const lastUpdated: InitPlan['lastUpdated'] = [];
  for (const doc of detection.docs) {
    const rel = fromConfig(doc.rel);
    const proposed = proposeRegions(doc.text, doc.file, { plan: doc.kind === 'plan', markerOptions });
    regions.push(...proposed.proposals.map((p) => ({ ...p, file: rel })));
    if (doc.kind === 'plan') {
      // Bound on the text with its new regions: items inside a region are generated, not bound.
      const result = bindItems(proposed.text, doc.file, rel, { probeIds: options.probeIds, existing });
      bound.push(...result.bound);
      unbound.push(...result.unbound);
    }
    if (proposed.text !== doc.text) changes.push({ file: doc.file, rel, before: doc.text, after: proposed.text });
    const structure = analyzeDocument(proposed.text, doc.file);
    if (structure.regions.length || bound.some((b) => b.file === rel)) {
      for (const entry of structure.lastUpdated) lastUpdated.push({ file: rel, line: positionOf(proposed.text, entry.date[0]).line });
    }
  }

  const config: InitPlan['config'] = { file: path.relative(root, configPath).split(path.sep).join('/') || path.basename(configPath), action: 'unchanged', todo: [] };
  if (configText === undefined) {
    const docDirs = detection.docs.map((d) => (d.rel.includes('/') ? d.rel.split('/')[0]! : '.'));
    const runbooks = docDirs.includes('.') ? ['.'] : [...new Set(docDirs)].sort();
    const composeText = compose ? await readFile(path.join(root, compose.rel), 'utf8') : '';
    const starter = starterConfig({
      runbooks: (runbooks.length ? runbooks : ['.']).map(fromConfig),
      evaluationDir: fromConfig(gateway.evaluationDirs[0] ?? 'evaluation'),
      gateway: rebaseGateway(gateway, fromConfig),
      envFiles: compose ? composeEnvFiles(composeText, compose.rel, composeService).map(fromConfig) : [],
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
    docs: detection.docs.map(({ rel, kind, planSignals }) => ({ rel: fromConfig(rel), kind, planSignals })),
    gateway: rebaseGateway(gateway, fromConfig),
    regions,
    bound,
    unbound,
    lastUpdated,
    config,
    changes: changes.sort((a, b) => a.rel.localeCompare(b.rel)),
  };
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
