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
