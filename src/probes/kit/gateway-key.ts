/**
 * The gateway key, and how every live probe sends it: as real clients do (Codex's
 * `bearer_token_env_var`, Claude Code, VS Code, Open WebUI), in `Authorization: Bearer <key>`.
 * Teams gate Traefik routers on that header (`HeaderRegexp(\`Authorization\`, \`^Bearer\s+.+\`)`),
 * so a probe that sent the key elsewhere would meet Traefik's 404 instead of LiteLLM. LiteLLM
 * reads the key from `Authorization` as from `x-litellm-api-key`.
 */
import type { ProbeContext } from '../types.ts';

/** The gateway key: the environment wins, then the secrets files (last file wins, like docker's env_file). */
export function gatewayKey(context: ProbeContext): { value?: string; source?: string } {
  const name = context.config.gateway.keyEnvVar;
  const fromEnv = process.env[name];
  if (fromEnv) return { value: fromEnv, source: `environment variable ${name}` };
  const entry = context.secrets.findLast((e) => e.key === name && e.value);
  return entry ? { value: entry.value, source: `${entry.file}:${entry.line}` } : {};
}

/** The header the probes send the key in, as a request header name (lower case) and as people write it. */
export const KEY_HEADER = 'authorization';
export const KEY_HEADER_SHOWN = 'Authorization';

/** The request headers that carry `key` (none without one). */
export function keyHeaders(key: string | undefined): Record<string, string> {
  return key ? { [KEY_HEADER]: `Bearer ${key}` } : {};
}

/** The curl option that sends the key as the probes do: it names the variable, never the value. */
export function curlKeyOption(keyEnvVar: string): string {
  return `-H "${KEY_HEADER_SHOWN}: Bearer $${keyEnvVar}"`;
}
