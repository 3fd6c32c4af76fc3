/**
 * Secret-bearing values written inline in the gateway's config.yaml (a master key, an
 * `auth_value`, a token in an MCP server's env…), so the redactor knows them too. A value
 * that is an `os.environ/` reference is a name, not a secret, and is skipped.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

const SECRET_KEY = /(^|_|-)(key|token|secret|password|passwd|pwd|auth_value|authentication_token|credentials?)$/i;

export async function inlineConfigSecrets(configFile: string): Promise<string[]> {
  let document: unknown;
  try {
    document = parse(await readFile(configFile, 'utf8'));
  } catch {
    return []; // gateway.config reports an unreadable or invalid file with its position
  }
  const found: string[] = [];
  const walk = (node: unknown, key: string) => {
    if (typeof node === 'string') {
      if (node.startsWith('os.environ/')) return;
      if (SECRET_KEY.test(key)) found.push(node);
      const password = /:\/\/[^:/\s@]+:([^@\s/]+)@/.exec(node)?.[1];
      if (password) found.push(password);
    } else if (Array.isArray(node)) node.forEach((item) => walk(item, key));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, k);
  };
  walk(document, '');
  return found;
}
