/** Small readers of LiteLLM's config.yaml as a `yaml` document: a key's pair, a key's text, every scalar with its path. */
import { isAlias, isMap, isScalar, isSeq, type Pair, type Scalar, type YAMLMap } from 'yaml';

/** The pair of `key` in `map`, by the key's scalar value. */
export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => (isScalar(pair.key) ? pair.key.value : pair.key) === key) as Pair | undefined;
}

/** A map key as text. */
export function keyOf(pair: Pair): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

/** Calls `visit` for every scalar with the path of keys (and sequence indexes) leading to it. */
export function walkScalars(node: unknown, keys: (string | number)[], visit: (node: Scalar, keys: (string | number)[]) => void): void {
  if (isAlias(node)) return;
  if (isScalar(node)) visit(node, keys);
  else if (isMap(node)) {
    for (const pair of node.items) walkScalars(pair.value, [...keys, keyOf(pair)], visit);
  } else if (isSeq(node)) node.items.forEach((item, index) => walkScalars(item, [...keys, index], visit));
}

/** A server name without case, dashes, underscores, dots or spaces: how a drifted name is recognised. */
export function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, '');
}
