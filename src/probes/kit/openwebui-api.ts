/**
 * Open WebUI's HTTP API as the `openwebui.*` probes call it: an admin's token (from the
 * environment, else the secrets files; added to the run's redactor), every exchange recorded into
 * the probe's transcript (bounded like all recordings), one deadline per request.
 */
import { jsonOrUndefined, requestSignal } from './live-http.ts';
import { recordingFetch, recordingLimits } from './recording-fetch.ts';
import type { ProbeContext, TranscriptEntry } from '../types.ts';

/** Where Open WebUI is and how to sign in: the `url`/`tokenEnvVar`/`requestTimeoutMs` options. */
export interface OpenWebuiAccess {
  url: string;
  tokenEnvVar: string;
  requestTimeoutMs: number;
}

export interface ApiAnswer {
  status: number;
  text: string;
  json: unknown;
}

/** One request; `timeoutMs` overrides the access's per-request deadline (a chat runs its tool loop within one request). */
export type OpenWebuiApi = (method: 'GET' | 'POST' | 'DELETE', route: string, body?: unknown, timeoutMs?: number) => Promise<ApiAnswer>;

/** The admin's token: the environment first, then the secrets files; '' when neither has it. */
export function adminToken(context: ProbeContext, tokenEnvVar: string): string {
  const token = process.env[tokenEnvVar] || context.secrets.findLast((e) => e.key === tokenEnvVar)?.value || '';
  if (token) context.redactor.add(token);
  return token;
}

/** Runs `use` with an API client whose exchanges end up in `transcript` (also when `use` throws). */
export async function withOpenWebuiApi<T>(
  context: ProbeContext,
  access: OpenWebuiAccess,
  token: string,
  transcript: TranscriptEntry[],
  use: (api: OpenWebuiApi, base: string) => Promise<T>,
): Promise<T> {
  const base = access.url.replace(/\/+$/, '');
  const recorder = recordingFetch(context.http.fetch, recordingLimits(context.config));
  const api: OpenWebuiApi = async (method, route, body, timeoutMs) => {
    const response = await recorder.fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: requestSignal(context, timeoutMs ?? access.requestTimeoutMs),
    });
    const text = await response.text();
    return { status: response.status, text, json: jsonOrUndefined(text) };
  };
  try {
    return await use(api, base);
  } finally {
    await recorder.settle();
    transcript.push(...recorder.exchanges);
  }
}
