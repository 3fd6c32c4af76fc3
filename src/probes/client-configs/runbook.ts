/**
 * The runbook's Windows section: with `runbook` set, the runbook must have a section (a heading
 * containing `windowsHeading`) that says how Windows users keep the gateway key out of committed
 * configs. These findings are about the docs, so they stay out of the client matrix.
 */
import { now } from '../kit/checks.ts';
import { readInputText } from '../kit/read-input.ts';
import type { ClientCheck } from './client-check.ts';
import type { RunbookSectionFact } from './facts.ts';

export async function checkRunbook(check: ClientCheck, file: string): Promise<RunbookSectionFact | undefined> {
  const { spec, options } = check;
  const shown = check.show(file);
  const { text, error } = await readInputText(file, check.context.signal);
  if (text === undefined) {
    check.noteDocs('fail', 'runbook.unreadable',
      `runbook ${error === 'ENOENT' ? 'does not exist' : 'cannot be read'}; fix probes."${spec.id}".runbook in proofbook.config.yaml`, { file: shown });
    return undefined;
  }
  check.transcript.push({ at: now(), kind: 'file', file: shown, role: 'runbook', bytes: Buffer.byteLength(text) });
  const headings = markdownHeadings(text);
  const wanted = options.windowsHeading.toLowerCase();
  const section = headings.find((h) => h.text.toLowerCase().includes(wanted));
  if (!section) {
    const title = headings.find((h) => h.depth === 1) ?? headings[0];
    check.noteDocs('fail', 'runbook.windows-missing',
      `no section whose heading contains "${options.windowsHeading}"; add one (e.g. "## Windows credential storage") that says how Windows users keep the gateway key out of ` +
        'committed configs: Windows Credential Manager (cmdkey), PowerShell SecretManagement, VS Code ${input:} prompts',
      { file: shown, line: title?.line ?? 1 });
  } else if (!section.hasBody) {
    check.noteDocs('warn', 'runbook.windows-empty',
      `the "${section.text}" section is empty; say where Windows users store the key (Credential Manager, SecretManagement) and how the client reads it`,
      { file: shown, line: section.line });
  }
  return { file: shown, found: !!section, ...(section ? { heading: section.text, line: section.line } : {}) };
}

/** ATX headings outside fenced code, with whether anything but blank lines follows before the next heading. */
export function markdownHeadings(text: string): { depth: number; text: string; line: number; hasBody: boolean }[] {
  const lines = text.split(/\r?\n/);
  const headings: { depth: number; text: string; line: number; hasBody: boolean }[] = [];
  let fence: string | undefined;
  lines.forEach((line, index) => {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1]![0]!;
      else if (fenceMatch[1]![0] === fence) fence = undefined;
      if (headings.length) headings.at(-1)!.hasBody = true;
      return;
    }
    if (fence) return;
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const parent = headings.at(-1);
      if (parent && parent.depth < heading[1]!.length) parent.hasBody = true;
      headings.push({ depth: heading[1]!.length, text: heading[2]!, line: index + 1, hasBody: false });
      return;
    }
    if (line.trim() && headings.length) headings.at(-1)!.hasBody = true;
  });
  return headings;
}
