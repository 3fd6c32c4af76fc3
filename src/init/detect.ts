/**
 * `proofbook init`, step 1: what is in a folder of hand-written docs.
 *
 * - Markdown files, each classified as a **plan** (GFM checkboxes, ✅/⚠️ status lines, a Status
 *   column, status fields or headings, "Phase" headings) or a **runbook** (anything else);
 * - the gateway's files: LiteLLM's config (a YAML file with `mcp_servers` / `model_list`),
 *   a compose file with Traefik labels, `.env` secrets files and their `.env.example`s;
 * - an existing `evaluation/` folder (hand-filed artifacts) to keep evidence beside.
 *
 * Read-only: nothing here writes.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseComposeText } from '../gateway/compose-file.ts';
import { toRouting, type ComposeRouting } from '../gateway/traefik-routing.ts';
import { decodeUtf8 } from '../rewrite/workspace.ts';

export interface DocFile {
  /** Absolute path. */
  file: string;
  /** Path relative to the scanned folder, with `/`. */
  rel: string;
  text: string;
  kind: 'plan' | 'runbook';
  /** Why it counts as a plan (empty for runbooks). */
  planSignals: string[];
}

export interface GatewayFiles {
  /** LiteLLM config (relative paths), best candidate first. */
  litellmConfigs: { rel: string; servers: string[]; keyEnvVar?: string }[];
  /** Compose files with Traefik routers, best candidate first. */
  composeFiles: { rel: string; routing?: ComposeRouting; port?: number }[];
  /** `.env` files that exist. */
  secretsFiles: string[];
  /** `.env.example` files that exist. */
  examples: string[];
  /** Folders named `evaluation` (shallowest first). */
  evaluationDirs: string[];
}

export interface Detection {
  root: string;
  docs: DocFile[];
  gateway: GatewayFiles;
}

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git']);

/** GFM checkbox list items: `- [ ]`, `* [x]`, `1. [X]`. */
const CHECKBOX = /^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[[ xX]\][ \t]/m;
/** A list item (or a `**Status**:` field) with a status emoji. */
const STATUS_LINE = /^[ \t]*(?:[-*+]|\d+[.)])[ \t][^\n]*(?:✅|⚠️|⚠|❌)/mu;
/** A table with a Status column (its rows are status sites). */
const STATUS_TABLE = /^[ \t]*\|?(?:[^|\n]*\|)*[ \t]*status[ \t]*\|?[ \t]*\r?\n[ \t]*\|?[ \t]*:?-{3,}/im;
const PHASE_HEADING = /^#{1,6}[ \t]+(?:phase|stage|milestone)\b/im;
/** A status field (`**Status**: ✅ RUNNING`, a `*Status: ✅ Deployed*` footer) or a heading that ends with its status. */
const STATUS_FIELD = /^[ \t]*(?:\*\*|__)?(?:status|state)(?:\*\*|__)?[ \t]*:|^[ \t]*[*_](?:status|state):|^#{1,6}[ \t]+\S[^\n]*?(?:✅|⚠️|⚠|❌)/imu;

export function classify(text: string): { kind: 'plan' | 'runbook'; signals: string[] } {
  // Code fences say nothing about the document itself.
  const prose = text.replace(/^([ \t]*)(```|~~~)[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm, '');
  const signals: string[] = [];
  if (CHECKBOX.test(prose)) signals.push('GFM checkboxes');
  if (STATUS_LINE.test(prose)) signals.push('✅/⚠️ status lines');
  if (STATUS_TABLE.test(prose)) signals.push('a Status column');
  if (PHASE_HEADING.test(prose)) signals.push('"Phase" headings');
  if (STATUS_FIELD.test(prose)) signals.push('status fields or headings');
  return { kind: signals.length ? 'plan' : 'runbook', signals };
}

/** Every file under `root` (relative, `/`-separated), skipping node_modules, dist and dot-folders. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const rel = path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    const dirs = rel.split('/').slice(0, -1);
    if (dirs.some((d) => d.startsWith('.') || SKIP_DIRS.has(d))) continue;
    files.push(rel);
  }
  return files.sort();
}

export async function detect(root: string): Promise<Detection> {
  const files = await listFiles(root);
  const docs: DocFile[] = [];
  for (const rel of files.filter((f) => /\.md$/i.test(f))) {
    const file = path.join(root, rel);
    const text = decodeUtf8(await readFile(file), file);
    const { kind, signals } = classify(text);
    docs.push({ file, rel, text, kind, planSignals: signals });
  }
  return { root, docs, gateway: await detectGateway(root, files) };
}

async function detectGateway(root: string, files: string[]): Promise<GatewayFiles> {
  const depth = (rel: string) => rel.split('/').length;
  const byDepth = (a: string, b: string) => depth(a) - depth(b) || a.localeCompare(b);
  const gateway: GatewayFiles = { litellmConfigs: [], composeFiles: [], secretsFiles: [], examples: [], evaluationDirs: [] };

  for (const rel of files.filter((f) => /\.ya?ml$/i.test(f)).sort(byDepth)) {
    const name = path.posix.basename(rel).toLowerCase();
    const text = await readFile(path.join(root, rel), 'utf8').catch(() => '');
    if (/^(docker-)?compose[\w.-]*\.ya?ml$/.test(name)) {
      const source = parseComposeText(text, rel);
      if (!source.usable) continue;
      const service = source.labels.find((l) => l.key.toLowerCase() === 'traefik.enable')?.service;
      const routing = service ? toRouting(source.labels, service, rel) : undefined;
      gateway.composeFiles.push({ rel, routing, port: routing?.services.find((s) => s.port)?.port });
      continue;
    }
    let data: unknown;
    try {
      data = parseYaml(text);
    } catch {
      continue;
    }
    if (!data || typeof data !== 'object') continue;
    const record = data as Record<string, unknown>;
    if (!('mcp_servers' in record) && !('model_list' in record)) continue;
    const servers = record.mcp_servers && typeof record.mcp_servers === 'object' ? Object.keys(record.mcp_servers) : [];
    const masterKey = (record.general_settings as Record<string, unknown> | undefined)?.master_key;
    const keyEnvVar = typeof masterKey === 'string' ? /^os\.environ\/([A-Z_][A-Z0-9_]*)$/.exec(masterKey)?.[1] : undefined;
    gateway.litellmConfigs.push({ rel, servers, ...(keyEnvVar ? { keyEnvVar } : {}) });
  }
  // Compose files with routers first; config files that register MCP servers first.
  gateway.composeFiles.sort((a, b) => Number(Boolean(b.routing?.routers.length)) - Number(Boolean(a.routing?.routers.length)));
  gateway.litellmConfigs.sort((a, b) => Number(b.servers.length > 0) - Number(a.servers.length > 0));

  for (const rel of [...files].sort(byDepth)) {
    const name = path.posix.basename(rel);
    if (/\.env\.example$/i.test(name) || /^\.env\.example$/i.test(name)) gateway.examples.push(rel);
    else if (/(^|\.)env$/i.test(name) && name.toLowerCase() !== 'env') gateway.secretsFiles.push(rel);
  }
  // `.env` files at the top level are often dot-files, which listFiles keeps (only dot-folders are skipped).
  const dirs = new Set(files.flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  gateway.evaluationDirs = [...dirs].filter((d) => path.posix.basename(d) === 'evaluation').sort(byDepth);
  return gateway;
}
