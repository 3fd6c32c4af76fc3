/**
 * The `${VAR}`s a team's `.mcp.json` reads (Claude Code expands them from its environment), and
 * where each value comes from. The transcript shows the sources, never a value. How Claude Code
 * reaches the hosts' names and trusts their CAs: ../kit/host-resolution.ts.
 */
import { referencesIn } from '../kit/client-shared.ts';
import type { ProbeContext } from '../types.ts';
import type { VariableSource } from './facts.ts';

export interface FileVariables {
  /** Name → value, for the claude process. */
  values: Record<string, string>;
  /** Where each came from, for the transcript and facts (a list: a map keyed by a name like *_KEY would be redacted whole). */
  sources: VariableSource[];
  /** Names with no value (and no `:-default`). */
  unset: string[];
}

/** The `${VAR}` / `${VAR:-default}` names anywhere in the parsed file, in order of first use. */
export function referencedVariables(value: unknown): { name: string; hasDefault: boolean }[] {
  const found = new Map<string, boolean>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const ref of referencesIn(node)) if (ref.kind === 'var') found.set(ref.name, (found.get(ref.name) ?? false) || ref.fallback !== undefined);
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(value);
  return [...found].map(([name, hasDefault]) => ({ name, hasDefault }));
}

/** Each variable's value: from the environment, else the secrets files (last wins); `mapping` names another variable to read. */
export function fileVariables(
  referenced: { name: string; hasDefault: boolean }[],
  mapping: Record<string, string>,
  context: Pick<ProbeContext, 'secrets'>,
  show: (file: string) => string,
): FileVariables {
  const result: FileVariables = { values: {}, sources: [], unset: [] };
  for (const { name, hasDefault } of referenced) {
    const from = mapping[name] ?? name;
    const via = from === name ? '' : `${from} in `;
    const fromEnv = process.env[from];
    const entry = fromEnv ? undefined : context.secrets.findLast((e) => e.key === from && e.value);
    if (fromEnv) {
      result.values[name] = fromEnv;
      result.sources.push({ name, source: `(set, from ${via}the environment)` });
    } else if (entry) {
      result.values[name] = entry.value;
      result.sources.push({ name, source: `(set, from ${via}${show(entry.file)}:${entry.line})` });
    } else {
      result.sources.push({ name, source: hasDefault ? '(not set: its default applies)' : `(not set${from === name ? '' : `: ${from} is not set either`})` });
      if (!hasDefault) result.unset.push(name);
    }
  }
  return result;
}
