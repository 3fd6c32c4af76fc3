/**
 * The model `claude -p` talks to, and whether there is one: `claude.invoke` calls a tool only when
 * a model asks for it. Claude Code reads ANTHROPIC_BASE_URL and its key (ANTHROPIC_API_KEY,
 * ANTHROPIC_AUTH_TOKEN, or an `apiKeyHelper`) from the `env` of its settings or from its
 * environment; the temporary HOME keeps a login of the user's out, so one of these must be set.
 */
import { readInputText } from '../kit/read-input.ts';

export interface ModelSetup {
  baseUrl?: string;
  /** Where the key comes from, e.g. `ANTHROPIC_API_KEY in the settings' env`; undefined: none. */
  key?: string;
  /** Key values to redact. */
  secrets: string[];
  /** Why the settings file cannot be used. */
  problem?: string;
}

const KEY_VARIABLES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'];

export async function modelSetup(settingsFile: string | undefined, shown: string | undefined, signal?: AbortSignal): Promise<ModelSetup> {
  let settings: { env?: Record<string, unknown>; apiKeyHelper?: unknown } = {};
  if (settingsFile) {
    const { text, error } = await readInputText(settingsFile, signal);
    if (text === undefined) return { secrets: [], problem: `cannot read the settings file ${shown} (${error})` };
    try {
      settings = JSON.parse(text) as typeof settings;
    } catch {
      return { secrets: [], problem: `the settings file ${shown} is not JSON; Claude Code refuses it` };
    }
  }
  const fromSettings = (name: string) => (typeof settings.env?.[name] === 'string' ? (settings.env[name] as string) : undefined);
  const baseUrl = fromSettings('ANTHROPIC_BASE_URL') ?? process.env.ANTHROPIC_BASE_URL;
  const secrets = KEY_VARIABLES.flatMap((name) => [fromSettings(name), process.env[name]]).filter((v): v is string => !!v);
  const settingsKey = KEY_VARIABLES.find((name) => fromSettings(name));
  const envKey = KEY_VARIABLES.find((name) => process.env[name]);
  const key = settingsKey
    ? `${settingsKey} in the env of ${shown}`
    : typeof settings.apiKeyHelper === 'string'
      ? `apiKeyHelper in ${shown}`
      : envKey
        ? `${envKey} in the environment`
        : undefined;
  return { ...(baseUrl ? { baseUrl } : {}), ...(key ? { key } : {}), secrets };
}
