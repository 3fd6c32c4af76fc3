/**
 * A static probe reads its input files itself, and a file that is missing or unreadable is one of
 * its findings, not a crash: the text, or the error code to name (ENOENT, EACCES…). Aborting the
 * probe still throws.
 */
import { readFile } from 'node:fs/promises';

export type InputText = { text: string; error?: undefined } | { text?: undefined; error: string };

export async function readInputText(file: string, signal?: AbortSignal): Promise<InputText> {
  try {
    return { text: await readFile(file, { encoding: 'utf8', signal }) };
  } catch (error) {
    signal?.throwIfAborted();
    return { error: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}
