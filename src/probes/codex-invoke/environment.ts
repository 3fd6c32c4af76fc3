/**
 * The environment `codex exec` runs with: the variables the gateway entry reads (from the
 * environment, else the secrets files, as `set -a; . file` would), and the proxy that stands in
 * for DNS (see `proxyFor`). The transcript shows where each came from, never a value; the values
 * (and any key written inline in the entry) go to the run's redactor.
 */
import type { ProbeContext } from '../types.ts';
import { headerSecrets, isTable, lookupEntryEnv, proxyFor, type TomlTable } from '../kit/codex-shared.ts';

export interface ExecEnvironment {
  /** Variables added to ours for the codex process. */
  extra: Record<string, string>;
  /** Name → where it came from, for the transcript. */
  sources: Record<string, string>;
  proxy: ReturnType<typeof proxyFor>;
}

export function execEnvironment(options: {
  context: ProbeContext;
  /** The gateway entry of config.toml. */
  entry: TomlTable;
  /** Its url. */
  url: string | undefined;
  /** The model provider's base_url (kept off the proxy). */
  baseUrl: unknown;
  /** probes."codex.invoke".proxy */
  proxyOption: string;
  codexHome: string;
  show: (file: string) => string;
}): ExecEnvironment {
  const { context, entry } = options;
  const extra: Record<string, string> = {};
  const sources: Record<string, string> = { CODEX_HOME: options.codexHome };
  for (const lookup of lookupEntryEnv(context, entry, options.show)) {
    if (lookup.value) {
      extra[lookup.name] = lookup.value;
      context.redactor.add(lookup.value);
    }
    sources[lookup.name] = lookup.set ? `(set, from ${lookup.source})` : '(not set)';
  }
  context.redactor.add(...headerSecrets(isTable(entry.http_headers) ? entry.http_headers : undefined));
  if (typeof entry.bearer_token === 'string') context.redactor.add(entry.bearer_token);
  const proxy = proxyFor(context.config, options.url, options.proxyOption);
  if (proxy.proxy) {
    const noProxy = [...new Set(['127.0.0.1', 'localhost', '::1', ...hostnameOf(options.baseUrl)])].join(',');
    Object.assign(extra, { HTTP_PROXY: proxy.proxy, http_proxy: proxy.proxy, NO_PROXY: noProxy, no_proxy: noProxy });
    sources.HTTP_PROXY = proxy.proxy;
    sources.NO_PROXY = noProxy;
  }
  return { extra, sources, proxy };
}

/** The host name of the model's base URL, which must not go through the proxy; none when it is not a URL (Codex reports that). */
function hostnameOf(baseUrl: unknown): string[] {
  if (typeof baseUrl !== 'string') return [];
  try {
    return [new URL(baseUrl).hostname];
  } catch {
    return [];
  }
}
