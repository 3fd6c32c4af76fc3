/**
 * The proof checks of a workspace, for `refresh-docs --check` and `--report`:
 * - every success claim bound to probes is backed by latest evidence that passes and is not
 *   older than `check.maxAgeHours` (default `site.maxAgeHours`) — ./claim-evidence.ts;
 * - every evidence file a runbook cites exists and has the bytes recorded for it — ./citations.ts;
 * - no runbook states a documented limitation its probes no longer observe — ./limitations.ts;
 * - the evidence index chain and its artifacts are intact (results hashed, transcripts only
 *   checked to exist; `verify` hashes those too) — ./chain.ts.
 */
import { readFile } from 'node:fs/promises';
import type { Config } from '../probes/config.ts';
import { sha256, type ProbeView } from '../evidence/history.ts';
import type { StructureCache } from '../rewrite/workspace.ts';
import { markdownFiles } from '../fs/markdown-files.ts';
import { nothingToDo } from '../rewrite/pre-scan.ts';
import { decodeUtf8 } from '../rewrite/workspace.ts';
import { verifyChain, type ChainReport } from './chain.ts';
import { judgeClaim } from './claim-evidence.ts';
import { findClaims, type Claim } from './claims.ts';
import { judgeLimitations } from './limitations.ts';
import { checkCitations, EvidenceReads, findCitations, RecordedHashes, type Citation } from './citations.ts';
import { sortProblems, type CheckProblem } from './problems.ts';

export interface Document {
  file: string;
  text: string;
}

type WorkspaceConfig = Pick<Config, 'runbooks' | 'evaluationDir' | 'rootDir' | 'plan' | 'site' | 'check'>;

export interface ProofCheckOptions {
  config: WorkspaceConfig;
  /** The evidence per probe id (from `probeViews`). */
  views: Map<string, ProbeView>;
  knownProbes: string[];
  now: Date;
  /** The runbooks as already read (e.g. by the rewrite plan); read from the runbook folders otherwise. */
  documents?: Document[];
  /** Structures by content hash (the rewrite's cache), to skip a parse. */
  cache?: StructureCache;
  /** Citations already read from a document's parse (by file; `body` is the text read, without a BOM), to skip another. */
  citations?: Map<string, { body: string; citations: Citation[] }>;
}

export interface ProofCheckResult {
  /** Claims, citations and the chain: sorted by file and line. */
  problems: CheckProblem[];
  chain: ChainReport;
  /** How many success claims were judged (bound to probes). */
  claims: number;
  /** How many evidence citations were checked. */
  citations: number;
}

export async function checkProofs(options: ProofCheckOptions): Promise<ProofCheckResult> {
  const { config } = options;
  const documents = options.documents ?? (await readDocuments(config.runbooks));
  const maxAgeHours = config.check.maxAgeHours ?? config.site.maxAgeHours;
  const recorded = new RecordedHashes(config.evaluationDir);
  const reads = new EvidenceReads(config.evaluationDir);
  const problems: CheckProblem[] = [];
  let claims = 0;
  let citations = 0;
  for (const doc of documents) {
    for (const claim of claimsOf(doc, options, false)) {
      if (claim.boundBy !== 'marker' && claim.boundBy !== 'config') continue;
      claims++;
      problems.push(...judgeClaim(claim, { views: options.views, evaluationDir: config.evaluationDir, rootDir: config.rootDir, now: options.now, maxAgeHours }));
    }
    problems.push(...judgeLimitations(doc.text, doc.file, config.plan.limitations, { views: options.views, evaluationDir: config.evaluationDir, rootDir: config.rootDir }));
    const known = options.citations?.get(doc.file);
    const body = doc.text.startsWith('\uFEFF') ? doc.text.slice(1) : doc.text;
    const cited = known && known.body === body ? known.citations : findCitations(doc.text, doc.file, { evaluationDir: config.evaluationDir });
    citations += cited.length;
    problems.push(...(await checkCitations(cited, { evaluationDir: config.evaluationDir, rootDir: config.rootDir, recorded, reads })));
  }
  const chain = await verifyChain({ evaluationDir: config.evaluationDir, deep: false });
  return { problems: [...sortProblems(problems), ...chain.problems], chain, claims, citations };
}

export interface ClaimsReport {
  /** Every success claim, bound or not, in file and line order. */
  claims: Claim[];
  /** The claims no probe or decision backs: hand-made. */
  unbound: Claim[];
}

/** Every success claim of the workspace, for `refresh-docs --report`. */
export async function reportClaims(options: Omit<ProofCheckOptions, 'views' | 'now'>): Promise<ClaimsReport> {
  const documents = options.documents ?? (await readDocuments(options.config.runbooks));
  const claims = documents.flatMap((doc) => claimsOf(doc, options, true));
  return { claims, unbound: claims.filter((c) => !c.boundBy) };
}

function claimsOf(doc: Document, options: Pick<ProofCheckOptions, 'config' | 'knownProbes' | 'cache'>, elsewhere: boolean): Claim[] {
  // The check judges bound claims only: a document no marker or binding can reach has none.
  if (!elsewhere && nothingToDo(doc.text, doc.file, options.config.plan)) return [];
  const cached = options.cache?.files[doc.file];
  const structure = cached && cached.sha256 === sha256(doc.text) ? cached.structure : undefined;
  return findClaims(doc.text, doc.file, {
    bindings: options.config.plan.bindings,
    decisions: options.config.plan.decisions,
    knownProbes: options.knownProbes,
    elsewhere,
    ...(structure ? { structure } : {}),
  });
}

async function readDocuments(runbooks: string[]): Promise<Document[]> {
  const files = await markdownFiles(runbooks);
  return Promise.all(files.map(async (file) => ({ file, text: decodeUtf8(await readFile(file), file) })));
}
