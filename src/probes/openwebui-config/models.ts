/**
 * Open WebUI's models through the gateway: `OPENAI_API_BASE_URLS` (semicolon-separated; it wins
 * when set) or `OPENAI_API_BASE_URL` has a URL on the host, with the host's scheme and LiteLLM's
 * OpenAI path, and the key at the same position of `OPENAI_API_KEYS` / `OPENAI_API_KEY` is a real
 * key (shown only as a fingerprint).
 */
import type { DotenvEntry } from '../../formats/dotenv.ts';
import { fingerprint } from '../kit/checks.ts';
import { matchHost } from '../kit/client-shared.ts';
import { PLACEHOLDER, splitList, type EnvCheck } from './env-file.ts';
import type { OpenWebuiFacts } from './facts.ts';

type ModelsFact = NonNullable<OpenWebuiFacts['models']>;

/** The base URL setting that counts, as the checks of it need it. */
interface BaseUrls {
  entry: DotenvEntry;
  variable: 'OPENAI_API_BASE_URLS' | 'OPENAI_API_BASE_URL';
  /** Whether it is the list (OPENAI_API_BASE_URLS). */
  list: boolean;
  parts: { text: string; start: number }[];
  /** What to write instead, e.g. `http://litellm.linuxserver.lan/v1`. */
  example: string;
}

export function checkModels(check: EnvCheck): void {
  const { get, findings } = check;
  const urlsEntry = get('OPENAI_API_BASE_URLS')?.value.trim() ? get('OPENAI_API_BASE_URLS') : undefined;
  const urlEntry = get('OPENAI_API_BASE_URL')?.value.trim() ? get('OPENAI_API_BASE_URL') : undefined;
  const enabled = get('ENABLE_OPENAI_API');
  if (enabled && /^(false|0|no|off)$/i.test(enabled.value.trim())) {
    findings.warn('models.disabled', 'ENABLE_OPENAI_API is off, so Open WebUI offers no model through the gateway; set ENABLE_OPENAI_API=True', enabled.line);
  }
  const hostUrl = new URL(check.host.url);
  const example = `${hostUrl.protocol}//${hostUrl.host}/v1`;
  const entry = urlsEntry ?? urlEntry;
  if (!entry) {
    findings.fail('models.base-url-missing',
      `neither OPENAI_API_BASE_URL nor OPENAI_API_BASE_URLS is set, so Open WebUI sends chats to api.openai.com instead of the gateway; add OPENAI_API_BASE_URL=${example}`);
    return;
  }
  const base: BaseUrls = { entry, variable: urlsEntry ? 'OPENAI_API_BASE_URLS' : 'OPENAI_API_BASE_URL', list: !!urlsEntry, parts: splitList(entry), example };
  if (urlsEntry && urlEntry && urlEntry.value.trim() !== urlsEntry.value.trim()) {
    findings.warn('models.base-url-ignored', 'OPENAI_API_BASE_URL is ignored because OPENAI_API_BASE_URLS is set; remove one of them', urlEntry.line);
  }
  const { urls, index, schemeMiss } = readUrls(check, base);
  const models: ModelsFact = { variable: base.variable, line: entry.line, urls, key: { present: false } };
  check.facts.models = models;
  if (index !== undefined) {
    models.index = index;
    checkKey(check, base, models, index);
  } else if (schemeMiss !== undefined) {
    findings.fail('models.scheme',
      `${base.variable} reaches the ${check.host.name} host over ${urls[schemeMiss]!.origin.split(':')[0]} but it is served over ${hostUrl.protocol.replace(':', '')} (hosts: ${check.host.url}); use ${example}`,
      check.at(entry, base.parts[schemeMiss]!.start));
  } else {
    findings.fail('models.elsewhere',
      `${base.variable} points at ${urls.map((u) => u.origin).join(', ')}, not the gateway's ${check.host.name} host (${check.host.url}), so Open WebUI's models bypass LiteLLM and its routing; ` +
        (base.list ? `add ${example} to the list (and its key at the same position in OPENAI_API_KEYS)` : `set ${base.variable}=${example}`),
      check.at(entry, base.parts[0]?.start ?? 0));
  }
}

/**
 * Each URL of the setting (origin and path for the facts), the position of the first on the host
 * (its port and path checked) and of the first on the host's name with the wrong scheme.
 */
function readUrls(check: EnvCheck, base: BaseUrls): { urls: ModelsFact['urls']; index?: number; schemeMiss?: number } {
  const { host, findings } = check;
  const urls: ModelsFact['urls'] = [];
  let index: number | undefined;
  let schemeMiss: number | undefined;
  base.parts.forEach((part, i) => {
    const at = check.at(base.entry, part.start);
    let url: URL;
    try {
      url = new URL(part.text);
    } catch {
      findings.fail('models.bad-url', `${base.variable}${base.parts.length > 1 ? ` (entry ${i + 1})` : ''} is not a URL; use ${base.example}`, at);
      urls.push({ origin: '(not a URL)', path: '' });
      return;
    }
    const match = matchHost(url, check.context.config.hosts, check.options.ports);
    urls.push({ origin: `${url.protocol}//${url.host}`, path: url.pathname, ...(match.host && !match.schemeMismatch ? { host: match.host.name } : {}) });
    if (match.host?.name !== host.name) return;
    if (match.schemeMismatch) schemeMiss ??= i;
    else if (index === undefined) {
      index = i;
      if (match.portMismatch) findings.fail('models.port', `${base.variable} uses port ${url.port || 'default'} but the ${host.name} host is ${host.url}; use ${base.example}`, at);
      if (!['', '/', '/v1', '/v1/'].includes(url.pathname)) {
        findings.warn('models.path', `${base.variable} has path ${url.pathname}; LiteLLM serves the OpenAI API at / and /v1. Use ${base.example}`, at);
      }
    }
  });
  return { urls, ...(index !== undefined ? { index } : {}), ...(schemeMiss !== undefined ? { schemeMiss } : {}) };
}

/** The key for the gateway's URL: at the same position of OPENAI_API_KEYS (or the one key), real, and not the master key. */
function checkKey(check: EnvCheck, base: BaseUrls, models: ModelsFact, index: number): void {
  const { get, findings, context } = check;
  const { config } = context;
  const keysEntry = get('OPENAI_API_KEYS')?.value.trim() ? get('OPENAI_API_KEYS') : get('OPENAI_API_KEY');
  const keys = keysEntry ? splitList(keysEntry) : [];
  const key = keys.length === 1 ? keys[0] : keys[index];
  const keyVariable = keysEntry?.key;
  if (!keysEntry || !key || !key.text) {
    findings.fail('models.key-missing',
      `no key for the gateway's URL (${base.variable}${base.parts.length > 1 ? ` entry ${index + 1}` : ''}): set ${base.list ? 'OPENAI_API_KEYS (same position)' : 'OPENAI_API_KEY'} to a LiteLLM key; LiteLLM rejects requests without one`,
      keysEntry?.line ?? base.entry.line);
  } else if (PLACEHOLDER.test(key.text)) {
    models.key = { variable: keyVariable, line: keysEntry.line, present: false };
    findings.fail('models.key-placeholder', `${keyVariable} still holds a placeholder; put the real LiteLLM key in this (git-ignored) .env`, check.at(keysEntry, key.start));
  } else {
    check.context.redactor.add(key.text);
    const gatewayKey = gatewayKeyOf(check);
    models.key = { variable: keyVariable, line: keysEntry.line, present: true, fingerprint: fingerprint(key.text, config.rootDir), gatewayKey: gatewayKey === key.text };
    if (gatewayKey === key.text) {
      findings.info('models.master-key',
        `${keyVariable} is the gateway's master key (${config.gateway.keyEnvVar}); issue Open WebUI its own scoped key once that decision is approved`,
        keysEntry.line);
    }
  }
}

function gatewayKeyOf({ context }: EnvCheck): string | undefined {
  const name = context.config.gateway.keyEnvVar;
  return process.env[name] || context.secrets.findLast((e) => e.key === name)?.value || undefined;
}
