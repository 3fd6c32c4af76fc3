/**
 * YAML syntax, tabs used as indentation and duplicate keys in config.yaml: each a failure that
 * says what to do (PyYAML, which LiteLLM uses, silently keeps the last duplicate), at
 * file:line:col. When there are any, no further check runs.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { Findings } from '../kit/findings.ts';

/**
 * Every duplicate key (named, with its first line), but only the first other syntax error: the
 * rest usually follow from it. False when the document has errors.
 */
export function checkSyntax(document: Document, lineCounter: LineCounter, findings: Findings): boolean {
  const duplicates = document.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  const syntax = document.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  for (const problem of [...syntax.slice(0, 1), ...duplicates].sort((a, b) => a.pos[0] - b.pos[0])) {
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    let message = yamlMessage(problem, document, lineCounter);
    if (problem === syntax[0] && syntax.length > 1) message += ` (${syntax.length - 1} more syntax error(s) after it; run again once it is fixed)`;
    findings.fail(`yaml.${problem.code.toLowerCase()}`, message, { line, column: col });
  }
  return document.errors.length === 0;
}

/** A YAML error as a sentence that says what to do. */
function yamlMessage(problem: Document['errors'][number], document: Document, lineCounter: LineCounter): string {
  const first = problem.message.split('\n')[0]!;
  if (problem.code === 'TAB_AS_INDENT') {
    return 'invalid YAML: a tab is used for indentation; YAML allows only spaces there. Replace the tab with spaces';
  }
  if (problem.code === 'DUPLICATE_KEY') {
    let detail = '';
    const visitMaps = (node: unknown): void => {
      if (detail) return;
      if (isMap(node)) {
        const index = node.items.findIndex((pair) => isScalar(pair.key) && pair.key.range?.[0] === problem.pos[0]);
        if (index >= 0) {
          const key = (node.items[index]!.key as { value: unknown }).value;
          const earlier = node.items.slice(0, index).find((pair) => isScalar(pair.key) && pair.key.value === key);
          const line = earlier && isScalar(earlier.key) && earlier.key.range ? lineCounter.linePos(earlier.key.range[0]).line : undefined;
          detail = `"${String(key)}"${line ? ` (first at line ${line})` : ''}`;
          return;
        }
        for (const pair of node.items) visitMaps(pair.value);
      } else if (isSeq(node)) node.items.forEach(visitMaps);
    };
    visitMaps(document.contents);
    return `invalid YAML: duplicate key ${detail || 'here'}; LiteLLM's YAML loader silently keeps only the last one. Remove or merge the duplicates`;
  }
  return `invalid YAML: ${first}. Fix the syntax; LiteLLM cannot load this file either`;
}
