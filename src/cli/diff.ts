/** Unified diff of a document, as `git diff` would show it, for --check and --dry-run. */
import { createTwoFilesPatch } from 'diff';

export function unifiedDiff(file: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, '', '', { context: 3 }).trimEnd();
}
