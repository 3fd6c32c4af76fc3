/**
 * Evidence citations in a runbook, and whether each one still holds: the file exists, and —
 * when Proofbook recorded it — its bytes are still the ones recorded (a result file's sha256 in
 * `evaluation/index.jsonl`, a transcript's `transcriptSha256` in its result file).
 *
 * A citation is what the site recognises as evidence (src/site/evidence/refs.ts): a relative
 * Markdown link (or image, or link definition) into the evaluation folder, or a path in inline
 * code with an `evaluation/` segment that names a file (`projects/litellm/evaluation/x.log`).
 * Code paths with placeholders (`<date>`, `*`) and folder paths are not citations.
 */
import path from 'node:path';
import type { Definition, Image, InlineCode, Link, Root } from 'mdast';
import { describeContainment, fixContainment, readContained, type ContainmentProblem } from '../evidence/contained.ts';
import { INDEX_FILE, readIndexText, sha256, type IndexEntry } from '../evidence/history.ts';
import { everyNode } from '../markdown/walk.ts';
import { parseFast } from '../rewrite/markdown-engine.ts';
import { pathInside } from '../fs/paths.ts';
import { relativeTo, type CheckProblem } from './problems.ts';

export interface Citation {
  /** Absolute path of the runbook. */
  file: string;
  line: number;
  /** The href or code as written. */
  cited: string;
  via: 'link' | 'code';
  /**
   * The cited file inside the evaluation folder (with `/`). Inline code may read several ways
   * (one per `evaluation/` segment): the first that exists is the cited file.
   */
  targets: string[];
}

/** Every evidence citation of one document, in document order. */
export function findCitations(text: string, file: string, options: { evaluationDir: string; tree?: Root }): Citation[] {
  const folder = path.basename(options.evaluationDir);
  // Cheap exit: a document that never names the folder cites nothing in it.
  if (!text.includes(folder) && !text.includes('evaluation')) return [];
  const tree = options.tree ?? parseFast(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const citations: Citation[] = [];
  everyNode(tree, (node) => {
    if (node.type === 'link' || node.type === 'image' || node.type === 'definition') {
      const href = (node as Link | Image | Definition).url;
      const target = linkTarget(href, file, options.evaluationDir);
      if (target) citations.push({ file, line: node.position!.start.line, cited: href, via: 'link', targets: [target] });
    } else if (node.type === 'inlineCode') {
      const value = (node as InlineCode).value;
      const targets = codeTargets(value, options.evaluationDir);
      if (targets.length) citations.push({ file, line: node.position!.start.line, cited: value, via: 'code', targets });
    }
  });
  return citations;
}

function linkTarget(href: string, fromFile: string, evaluationDir: string): string | undefined {
  if (!href || href.startsWith('/') || href.startsWith('#') || URL.canParse(href)) return undefined;
  const target = /^([^?#]*)/.exec(href)?.[1] ?? '';
  if (!target || target.endsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURI(target);
  } catch {
    return undefined;
  }
  const inside = pathInside(evaluationDir, path.resolve(path.dirname(fromFile), decoded));
  return inside?.split(path.sep).join('/');
}

/** The readings of a file path in inline code with an evaluation-folder segment, nearest the root first. */
function codeTargets(text: string, evaluationDir: string): string[] {
  const value = text.trim();
  if (!value || /[\s<>{}*?$|]/.test(value)) return [];
  const segments = value.split('/');
  if (!/\.[A-Za-z0-9]+$/.test(segments.at(-1) ?? '')) return [];
  const folders = new Set(['evaluation', path.basename(evaluationDir)]);
  const candidates: string[] = [];
  for (let i = 0; i < segments.length - 1; i++) {
    if (!folders.has(segments[i]!)) continue;
    const inside = pathInside(evaluationDir, path.resolve(evaluationDir, segments.slice(i + 1).join('/')));
    if (inside) candidates.push(inside.split(path.sep).join('/'));
  }
  return candidates;
}

/** What Proofbook recorded about the evaluation folder's files: the index, read leniently (verify judges it). */
export class RecordedHashes {
  private readonly evaluationDir: string;
  private entries?: Promise<Map<string, { sha256: string; line: number }>>;

  constructor(evaluationDir: string) {
    this.evaluationDir = evaluationDir;
  }

  /** The recorded sha256 of a file inside the evaluation folder, and where it was recorded; undefined when never recorded. */
  async of(target: string): Promise<{ sha256: string; where: string } | undefined> {
    const entries = await (this.entries ??= this.read());
    const index = path.join(this.evaluationDir, INDEX_FILE);
    const direct = entries.get(target);
    if (direct) return { sha256: direct.sha256, where: `${index}:${direct.line}` };
    const transcript = /^(.*)\.transcript\.json$/.exec(target);
    const result = transcript && entries.get(`${transcript[1]}.json`);
    if (!result) return undefined;
    try {
      const recorded = JSON.parse((await readContained(this.evaluationDir, `${transcript[1]}.json`)).toString('utf8')) as { transcriptSha256?: unknown };
      if (typeof recorded.transcriptSha256 !== 'string') return undefined;
      return { sha256: recorded.transcriptSha256, where: path.join(this.evaluationDir, `${transcript[1]}.json`) };
    } catch {
      return undefined; // a missing or broken result file is the chain check's to report
    }
  }

  private async read(): Promise<Map<string, { sha256: string; line: number }>> {
    const map = new Map<string, { sha256: string; line: number }>();
    const text = (await readIndexText(this.evaluationDir).catch(() => undefined)) ?? '';
    text.split('\n').forEach((raw, i) => {
      try {
        const entry = JSON.parse(raw) as Partial<IndexEntry>;
        if (typeof entry.result === 'string' && typeof entry.sha256 === 'string') map.set(entry.result, { sha256: entry.sha256, line: i + 1 });
      } catch {
        // not an entry: reported by the chain check
      }
    });
    return map;
  }
}

export interface CheckCitationsOptions {
  evaluationDir: string;
  /** Workspace root, for the paths in messages. */
  rootDir: string;
  recorded: RecordedHashes;
  /** Evidence files read (and hashed) so far: shared by the documents of one check, which cite the same files. */
  reads?: EvidenceReads;
}

type ReadResult = Buffer | ContainmentProblem | undefined;

/** Contained reads of evidence files and their sha256, each done once per check. */
export class EvidenceReads {
  private readonly bytes = new Map<string, Promise<ReadResult>>();
  private readonly hashes = new WeakMap<Buffer, string>();

  private readonly evaluationDir: string;

  constructor(evaluationDir: string) {
    this.evaluationDir = evaluationDir;
  }

  /** The file's bytes; a containment problem other than a missing file; undefined when missing. */
  read(target: string): Promise<ReadResult> {
    let bytes = this.bytes.get(target);
    if (!bytes) {
      // Contained reads (../evidence/contained.ts): a cited link is reported, never followed.
      bytes = readContained(this.evaluationDir, target).catch((error: { problem?: ContainmentProblem }) =>
        error.problem && error.problem.kind !== 'missing' && error.problem.kind !== 'folder' ? error.problem : undefined,
      );
      this.bytes.set(target, bytes);
    }
    return bytes;
  }

  sha256(bytes: Buffer): string {
    let hash = this.hashes.get(bytes);
    if (hash === undefined) {
      hash = sha256(bytes);
      this.hashes.set(bytes, hash);
    }
    return hash;
  }
}

/** The problems of the citations: missing files, and recorded files whose bytes changed. */
export async function checkCitations(citations: Citation[], options: CheckCitationsOptions): Promise<CheckProblem[]> {
  const problems: CheckProblem[] = [];
  const shown = (target: string) => relativeTo(options.rootDir, path.join(options.evaluationDir, target));
  const reads = options.reads ?? new EvidenceReads(options.evaluationDir);
  const read = (target: string) => reads.read(target);
  for (const citation of citations) {
    const candidates = citation.targets;
    let target: string | undefined;
    let bytes: Buffer | undefined;
    let unsafe: ContainmentProblem | undefined;
    for (const candidate of candidates) {
      const read_ = await read(candidate);
      if (Buffer.isBuffer(read_)) {
        target = candidate;
        bytes = read_;
        break;
      }
      unsafe ??= read_;
    }
    const cited = citation.via === 'code' ? `\`${citation.cited}\`` : citation.cited;
    if (!target && unsafe) {
      problems.push({
        code: 'citation.link',
        file: citation.file,
        line: citation.line,
        evidence: candidates[0]!,
        problem: `cites ${cited}, but ${describeContainment({ ...unsafe, file: relativeTo(options.rootDir, unsafe.file) })}`,
        fix: fixContainment(unsafe),
      });
      continue;
    }
    if (!target || !bytes) {
      const recorded = await options.recorded.of(candidates[0]!);
      problems.push({
        code: 'citation.missing',
        file: citation.file,
        line: citation.line,
        evidence: candidates[0]!,
        problem: `cites ${cited}, but ${shown(candidates[0]!)} does not exist${recorded ? ` (recorded at ${relativeTo(options.rootDir, recorded.where)})` : ''}`,
        fix: recorded
          ? `restore it from git (\`git checkout -- ${shown(candidates[0]!)}\`): evidence is never deleted`
          : 'restore the file from git, or point the citation at evidence that exists, or remove it',
      });
      continue;
    }
    const recorded = await options.recorded.of(target);
    if (!recorded) continue; // not written by Proofbook (a hand-placed log): nothing to compare with
    const actual = reads.sha256(bytes);
    if (actual !== recorded.sha256) {
      problems.push({
        code: 'citation.changed',
        file: citation.file,
        line: citation.line,
        evidence: target,
        problem: `cites ${shown(target)}, whose bytes changed since they were recorded (sha256 ${actual.slice(0, 12)}…, recorded ${recorded.sha256.slice(0, 12)}… at ${relativeTo(options.rootDir, recorded.where)})`,
        fix: `restore it from git (\`git checkout -- ${shown(target)}\`): evidence is never edited; for new results run the probe again and cite the new run`,
      });
    }
  }
  return problems;
}
