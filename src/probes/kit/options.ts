/** Option fields many probes share, written once (zod only: option modules stay light). */
import { z } from 'zod';

/** `timeoutMs`: the probe's own deadline; the runner turns a probe past it into an error. */
export const probeTimeout = (defaultMs: number) =>
  z.number().int().positive().default(defaultMs).describe('Give up on the probe after this many milliseconds.');

/** `requestTimeoutMs`: the deadline of one HTTP request of a live probe. */
export const requestTimeout = (defaultMs = 10_000) =>
  z.number().int().positive().default(defaultMs).describe('Give up on one request after this many milliseconds.');

/** `mcpPath`: the gateway's MCP path a client must use, when it is not `gateway.mcp.path`. */
export const mcpPathOption = (description: string) => z.string().startsWith('/').optional().describe(description);

/** `servers`: the MCP servers `x-mcp-servers` may name, when they are not `gateway.mcp.servers`. */
export const serverNamesOption = (description: string) => z.array(z.string().min(1)).optional().describe(description);

/** `ports`: whether a client's URL must use the host's port (`match`) or only its scheme and host name count (`ignore`). */
export const portPolicyOption = (description: string) => z.enum(['ignore', 'match']).default('ignore').describe(description);

/** A probe's option schema as its definition declares it: `probes.<id>` may be left out, and then holds every default. */
export function withDefaults<S extends z.ZodObject>(schema: S): z.ZodDefault<S> {
  // An object schema never parses to undefined; zod's generic types cannot see that.
  return schema.default(schema.parse({}) as z.util.NoUndefined<z.output<S>>);
}
