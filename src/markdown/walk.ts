/**
 * Visits the nodes of one type in an mdast tree, in document order, with their parent: what
 * unist-util-visit does for the structure's passes, without its per-node bookkeeping (the list
 * of ancestors it copies at every node), which cost more than the fast parser on a cold refresh.
 */
import type { Nodes, Parent } from 'mdast';

export function eachNode<T extends Nodes['type']>(
  root: Nodes,
  type: T,
  visit: (node: Extract<Nodes, { type: T }>, parent: Parent | undefined) => void,
  parent?: Parent,
): void {
  if (root.type === type) visit(root as Extract<Nodes, { type: T }>, parent);
  if ('children' in root) for (const child of root.children) eachNode(child as Nodes, type, visit, root);
}

/** Visits every node of an mdast tree in document order. */
export function everyNode(root: Nodes, visit: (node: Nodes) => void): void {
  visit(root);
  if ('children' in root) for (const child of root.children) everyNode(child as Nodes, visit);
}

/** Nodes of some types with their parents, each list in document order: one walk for several passes. */
export type NodesByType<T extends Nodes['type']> = { [K in T]: { node: Extract<Nodes, { type: K }>; parent: Parent | undefined }[] };

export function collectNodes<T extends Nodes['type']>(root: Nodes, types: readonly T[]): NodesByType<T> {
  const found = Object.fromEntries(types.map((type) => [type, []])) as unknown as Record<string, { node: Nodes; parent: Parent | undefined }[]>;
  const walk = (node: Nodes, parent: Parent | undefined): void => {
    found[node.type]?.push({ node, parent });
    if ('children' in node) for (const child of node.children) walk(child as Nodes, node);
  };
  walk(root, undefined);
  return found as unknown as NodesByType<T>;
}
