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

/** Parses KEY=VALUE lines (optional `export `, quotes, `#` comments). */
export function parseEnv(text: string, file: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      throw new EnvFileError(`${file}:${index + 1}: expected KEY=value, found "${line.split('=')[0]!.slice(0, 40)}". Fix or comment out the line.`);
    }
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    entries.push({ key: match[1]!, value, file, line: index + 1 });
  });
  return entries;
}

/** Reads every secrets file; a missing file is reported, not fatal, so other probes still run. */
export async function readSecretsFiles(files: string[]): Promise<{ entries: EnvEntry[]; missing: string[] }> {
  const entries: EnvEntry[] = [];
  const missing: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      missing.push(file);
      continue;
    }
    entries.push(...parseEnv(text, file));
  }
  return { entries, missing };
}
