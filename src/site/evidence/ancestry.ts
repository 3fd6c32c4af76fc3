/**
 * The enclosing elements the evidence plugin needs (../evidence/embed.ts: the paragraph, list
 * item, table or heading a block goes after, and whether inline code sits in a link or a code
 * block), known from the source positions of the elements visited in document order instead of
 * asked of the tree: in satteri each `ctx.parent()` materialises the page's tree for JavaScript,
 * which on the bench's 200 runbooks cost about a second of CPU and ~350 MB of peak memory.
 *
 * Satteri visits the filtered elements in document order (an element before its descendants), so
 * the elements still open at a node are exactly its tracked ancestors. An element without a
 * position (one a plugin made) cannot be placed this way: `visit` says so, and the caller asks the
 * tree as before.
 */
import type { Element } from 'hast';

interface Open {
  node: Element;
  start: number;
  end: number;
}

const contains = (open: Open, start: number, end: number) => open.start <= start && end <= open.end && start < open.end;

export class Ancestry {
  #open: Open[] = [];
  readonly #tracked: ReadonlySet<string>;

  /** @param tracked the tags a caller asks `nearest` for; other elements are only visited. */
  constructor(tracked: Iterable<string>) {
    this.#tracked = new Set(tracked);
  }

  /**
   * Records `node`, visited in document order. False when it has no source position: then
   * `nearest` knows nothing about it, and the caller walks the tree.
   */
  visit(node: Element): boolean {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return false;
    // An open element that does not contain this one is closed. Containment, not only order: a
    // footnote is visited at the end of the page with its position from where it was written.
    while (this.#open.length && !contains(this.#open.at(-1)!, start, end)) this.#open.pop();
    if (this.#tracked.has(node.tagName)) this.#open.push({ node, start, end });
    return true;
  }

  /** The nearest open element whose tag `wanted` has: an ancestor of the node visited last, or that node itself. */
  nearest(wanted: ReadonlySet<string>): Element | undefined {
    for (let i = this.#open.length - 1; i >= 0; i--) {
      const { node } = this.#open[i]!;
      if (wanted.has(node.tagName)) return node;
    }
    return undefined;
  }
}
