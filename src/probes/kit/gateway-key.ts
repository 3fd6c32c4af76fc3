import type { ProbeContext } from '../types.ts';

/** The gateway key: the environment wins, then the secrets files (last file wins, like docker's env_file). */
export function gatewayKey(context: ProbeContext): { value?: string; source?: string } {
  const name = context.config.gateway.keyEnvVar;
  const fromEnv = process.env[name];
  if (fromEnv) return { value: fromEnv, source: `environment variable ${name}` };
  const entry = context.secrets.findLast((e) => e.key === name && e.value);
  return entry ? { value: entry.value, source: `${entry.file}:${entry.line}` } : {};
}
