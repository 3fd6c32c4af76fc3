/**
 * A minimal hast builder for the nodes the site's Markdown plugins insert. Text goes in as
 * text nodes, so whatever a log contains is escaped by the serializer, never parsed as HTML.
 */
import type { Element, ElementContent, Properties } from 'hast';

export type Child = ElementContent | string | false | undefined | null;

export function h(tagName: string, properties: Properties = {}, ...children: (Child | Child[])[]): Element {
  return {
    type: 'element',
    tagName,
    properties,
    children: children
      .flat()
      .filter((child): child is ElementContent | string => child !== false && child !== undefined && child !== null && child !== '')
      .map((child) => (typeof child === 'string' ? { type: 'text', value: child } : child)),
  };
}
