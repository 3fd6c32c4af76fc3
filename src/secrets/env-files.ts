/**
 * Reads `.env` secrets files. Values are kept in memory only, to look up the gateway key and
 * to feed the redactor; they are never printed.
 */
import { readFile } from 'node:fs/promises';

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
  reason: 'no-equals' | 'bad-name';
  message: string;
}

/**
 * Parses KEY=VALUE lines (optional `export `, quotes, `#` comments). A malformed line is
 * reported by position only: it may be a pasted secret, so its text is never quoted.
 */
export function parseEnvLines(text: string, file: string): { entries: EnvEntry[]; problems: EnvProblem[] } {
  const entries: EnvEntry[] = [];
  const problems: EnvProblem[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      const reason = line.includes('=') ? 'bad-name' : 'no-equals';
      problems.push({ file, line: index + 1, reason, message: `${file}:${index + 1}: expected KEY=value; fix or comment out the line` });
      return;
    }
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    entries.push({ key: match[1]!, value, file, line: index + 1 });
  });
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
