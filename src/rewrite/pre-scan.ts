/**
 * Documents a refresh certainly leaves alone, found without parsing them: most of a large
 * workspace never mentions the gateway, and on a cold run (a CI clone, no structure cache) a
 * parse per such document is wasted. Conservative: any doubt means "parse it".
 *
 * A document has nothing to do when it has no HTML comment (so no region marker and no inline
 * `<!-- proof: … -->` binding), never says `proofbook` (so no malformed marker to report
 * either), and lacks a word of every config binding and decision that applies to its file:
 * an item's text is the document's own, so an item that contains a binding's text puts every
 * word of it in the document. Without a bound item or a region, nothing is rewritten (`Last
 * Updated` moves only with them) and no claim is bound.
 */

export interface PlanMatches {
  bindings: { match: string; file?: string }[];
  decisions: { match: string }[];
}

export function nothingToDo(text: string, file: string, plan?: PlanMatches): boolean {
  if (text.includes('<!--') || /proofbook/i.test(text)) return false;
  if (!plan) return true;
  const entries = [...plan.bindings, ...plan.decisions].filter((entry) => {
    const scope = (entry as { file?: string }).file;
    return !scope || file.endsWith(scope);
  });
  if (entries.length === 0) return true;
  // Bindings match the item's text as written or without `*_` and backticks (see bindingFor).
  // Lower case as bindingFor does (σ and ς alike: a final sigma is lower-cased by its context).
  const lower = (value: string) => value.toLowerCase().replace(/ς/g, 'σ');
  const plain = lower(text).replace(/[`*_]/g, '');
  const wordsOf = (match: string) => match.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return entries.every((entry) => {
    const match = lower(entry.match);
    return !wordsOf(match).every((word) => plain.includes(word)) && !wordsOf(match.replace(/[`*_]/g, '')).every((word) => plain.includes(word));
  });
}
