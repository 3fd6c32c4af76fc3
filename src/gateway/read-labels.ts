/**
 * Reads the labels of the file that starts LiteLLM, whichever kind it is: a `docker run` script
 * (./docker-run-script.ts) or a compose file (./compose-file.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseComposeText } from './compose-file.ts';
import { parseDockerRunScript } from './docker-run-script.ts';
import type { Label, LabelSource } from './label-source.ts';

export class ComposeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComposeError';
  }
}

/** Reads the labels of every service; throws a ComposeError (with file:line) on an unusable file. */
export async function readComposeLabels(file: string): Promise<Label[]> {
  const source = parseLabelSource(await readFile(file, 'utf8'), file);
  if (!source.usable) {
    const problem = source.problems.find((p) => p.severity === 'fail') ?? source.problems[0]!;
    throw new ComposeError(`${file}:${problem.line}: ${problem.message}`);
  }
  return source.labels;
}

/** Reads a compose file or a `docker run` script; `displayFile` is the name findings use. */
export async function readLabelSource(file: string, displayFile = file, signal?: AbortSignal): Promise<LabelSource> {
  return parseLabelSource(await readFile(file, { encoding: 'utf8', signal }), displayFile);
}

/** A `.sh`/`.bash` file or one starting with `#!` is a `docker run` script; anything else is compose YAML. */
export function isDockerRunScript(text: string, file: string): boolean {
  const ext = path.extname(file).toLowerCase();
  return ext === '.sh' || ext === '.bash' || text.replace(/^\uFEFF/, '').startsWith('#!');
}

export function parseLabelSource(text: string, file: string): LabelSource {
  return isDockerRunScript(text, file) ? parseDockerRunScript(text, file) : parseComposeText(text, file);
}
