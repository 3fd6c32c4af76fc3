/**
 * The catalog's tools by input schema: a short hash of each tool's canonical JSON schema, so two
 * catalogs (two transports, or two runs: ./compare.ts) are compared by value, not by the order
 * their JSON happens to be written in.
 */
import { createHash } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

/** sha256 (16 hex) of a value's canonical JSON (object keys sorted at every level). */
function hashJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Tool name → hash of its input schema, by name. */
export function schemaHashes(tools: Tool[]): Record<string, string> {
  const sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Object.fromEntries(sorted.map((tool) => [tool.name, hashJson(tool.inputSchema ?? {})]));
}

/** How `other` differs from `primary` (tools lacking, added, with another schema); undefined when they are the same. */
export function describeMismatch(primary: Record<string, string>, other: Record<string, string>): string | undefined {
  const missing = Object.keys(primary).filter((n) => !(n in other));
  const extra = Object.keys(other).filter((n) => !(n in primary));
  const changed = Object.keys(primary).filter((n) => n in other && other[n] !== primary[n]);
  const parts = [
    ...(missing.length ? [`lacks ${missing.join(', ')}`] : []),
    ...(extra.length ? [`adds ${extra.join(', ')}`] : []),
    ...(changed.length ? [`other input schema for ${changed.join(', ')}`] : []),
  ];
  return parts.length ? parts.join('; ') : undefined;
}
