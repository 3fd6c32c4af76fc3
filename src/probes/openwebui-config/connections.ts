/**
 * Open WebUI's tool server connections (`TOOL_SERVER_CONNECTIONS` in its .env, the same list in
 * its admin API): their shape, what a connection shows as a fact (never a key: a fingerprint),
 * its headers (an object, or a JSON string Open WebUI also accepts) and its credential values.
 */
import { z } from 'zod';
import type { Host } from '../../config/schema.ts';
import { fingerprint } from '../kit/checks.ts';
import { isCredentialHeader, KEY_HEADERS, matchHost, safeUrl, tryUrl } from '../kit/client-shared.ts';
import type { OpenWebuiConnectionFact } from './facts.ts';

export const ConnectionSchema = z.looseObject({
  url: z.string({ error: 'must be a string: the MCP endpoint, e.g. "http://litellm.linuxserver.lan/mcp/"' }),
  path: z.string({ error: 'must be a string' }).optional(),
  type: z.string({ error: 'must be "mcp" or "openapi"' }).optional(),
  auth_type: z.string({ error: 'must be a string such as "bearer"' }).nullish(),
  key: z.string({ error: 'must be a string' }).nullish(),
  headers: z.union([z.record(z.string(), z.string()), z.string()], { error: 'must be an object of header: value' }).nullish(),
  config: z.looseObject({ enable: z.boolean({ error: 'must be true or false' }).optional() }).nullish(),
  info: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).nullish(),
});
export const ConnectionsSchema = z.array(ConnectionSchema, { error: 'must be a JSON list of connections: [{"type": "mcp", "url": …}]' });
export type Connection = z.infer<typeof ConnectionSchema>;

export function connectionFact(c: Connection, index: number, hosts: Host[], ports: 'ignore' | 'match', rootDir: string): OpenWebuiConnectionFact {
  const url = tryUrl(c.url);
  const match = url ? matchHost(url, hosts, ports) : {};
  const headers = headersOf(c);
  const keyHeader = Object.entries(headers).find(([h, v]) => KEY_HEADERS.includes(h.toLowerCase()) && v.trim());
  const authType = c.auth_type ?? 'none';
  const auth: OpenWebuiConnectionFact['auth'] = authType === 'bearer' && c.key?.trim() ? 'bearer' : keyHeader ? 'header' : 'none';
  const servers = Object.entries(headers).find(([h]) => h.toLowerCase() === 'x-mcp-servers')?.[1];
  const keyValue = auth === 'bearer' ? c.key! : keyHeader?.[1].replace(/^Bearer\s+/i, '');
  return {
    index,
    type: c.type ?? 'openapi',
    ...(url ? { url: safeUrl(url) } : {}),
    ...(match.host && !match.schemeMismatch ? { host: match.host.name } : {}),
    authType,
    auth,
    ...(keyValue && fingerprint(keyValue, rootDir) ? { keyFingerprint: fingerprint(keyValue, rootDir) } : {}),
    headers: Object.keys(headers),
    ...(servers !== undefined ? { mcpServers: servers.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    enabled: c.config?.enable !== false,
    ...(c.info?.id ? { id: c.info.id } : {}),
    ...(c.info?.name ? { name: c.info.name } : {}),
  };
}

/** A connection's headers as an object (Open WebUI also accepts them as a JSON string). */
export function headersOf(c: Connection): Record<string, string> {
  if (!c.headers) return {};
  if (typeof c.headers === 'string') {
    try {
      const parsed = JSON.parse(c.headers);
      return parsed && typeof parsed === 'object' ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) : {};
    } catch {
      return {};
    }
  }
  return c.headers;
}

/** Values of a connection's credential headers (with and without their `Bearer` prefix). */
export function credentialValues(c: Connection): string[] {
  return Object.entries(headersOf(c))
    .filter(([h]) => isCredentialHeader(h))
    .flatMap(([, v]) => [v, v.replace(/^\s*(Bearer|Basic|Token)\s+/i, '')]);
}
