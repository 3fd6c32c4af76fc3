/**
 * Reads `.env` secrets files. Values are kept in memory only, to look up the gateway key and
 * to feed the redactor; they are never printed.
 */
import { readFile } from 'node:fs/promises';
import { parseDotenv, type DotenvProblemKind } from '../formats/dotenv.ts';

export interface EnvEntry {
  key: string;
  value: string;
  file: string;
  line: number;
}

export class EnvFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvFileError';
  }
}

export interface EnvProblem {
  file: string;
  line: number;
  column: number;
  reason: DotenvProblemKind;
  /** What is wrong, in the parser's words (no text of the line). */
  description: string;
  /** `file:line: …`, for an error. */
  message: string;
}

/**
 * The KEY=value entries of a secrets file (src/formats/dotenv.ts reads them, as python-dotenv
 * does). A malformed line is reported by position only: it may be a pasted secret, so its text
 * is never quoted.
 */
export function parseEnvLines(text: string, file: string): { entries: EnvEntry[]; problems: EnvProblem[] } {
  const parsed = parseDotenv(text);
  const entries = parsed.entries.map(({ key, value, line }) => ({ key, value, file, line }));
  const problems = parsed.problems.map(({ kind, line, column, message }) => ({
    file,
    line,
    column,
    reason: kind,
    description: message,
    message: kind === 'no-equals' || kind === 'bad-name' ? `${file}:${line}: expected KEY=value; fix or comment out the line` : `${file}:${line}:${column}: ${message}`,
  }));
  return { entries, problems };
}

/** Like parseEnvLines, but the first malformed line is an error. */
export function parseEnv(text: string, file: string): EnvEntry[] {
  const { entries, problems } = parseEnvLines(text, file);
  if (problems[0]) throw new EnvFileError(problems[0].message);
  return entries;
}

/**
 * Reads every secrets file. Missing files and malformed lines are reported, not fatal, so the
 * other probes still run (and `secrets.audit` names each problem).
 */
export async function readSecretsFiles(files: string[]): Promise<{ entries: EnvEntry[]; missing: string[]; problems: EnvProblem[] }> {
  const entries: EnvEntry[] = [];
  const missing: string[] = [];
  const problems: EnvProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      missing.push(file);
      continue;
    }
    const parsed = parseEnvLines(text, file);
    entries.push(...parsed.entries);
    problems.push(...parsed.problems);
  }
  return { entries, missing, problems };
}
