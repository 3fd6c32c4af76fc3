/**
 * Secret-bearing values written inline in the gateway's config.yaml, so the redactor knows them
 * too (as known secrets, redacted in every form, everywhere):
 * - the value of a secret-named field (a master key, an `auth_value`, `API_TOKEN` in a server's
 *   `env`, an `Authorization` header…; an auth scheme such as `Bearer ` is not part of the secret);
 * - the password of a URL, the user name possibly empty (`https://:token@host`, `redis://:pass@host`);
 * - `password=…` in a DSN (`host=db password=x dbname=y`, `…?sslmode=require&password=x`) and a
 *   credential query parameter (`?access_token=…`);
 * - the value after a credential flag in `args` or a command line: `--api-key X`, `--token X`,
 *   `--password X` (two list items or one string), `--token=X`;
 * - a known token format anywhere (`sk-…`, `ghp_…`, `github_pat_…`, `glpat-…`, `xox?-…`) and a
 *   `Bearer …` credential.
 * A value that is an `os.environ/` reference, a `$VAR` / `${VAR}` or a `<placeholder>` is a name,
 * not a secret, and is skipped. Each value comes with where it is (path and line) for warnings.
 */
import { readFile } from 'node:fs/promises';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { CREDENTIAL_FLAG, nameLooksSecret, SK_KEY, VENDOR_TOKEN } from './secret-shapes.ts';

const REFERENCE = /^(?:os\.environ\/|\$|<[^>]*>$)/;
const SCHEME = /^(?:Bearer|Basic|Token|Digest|ApiKey|Api-Key)\s+/i;
const FLAG_ALONE = new RegExp(`^${CREDENTIAL_FLAG}$`, 'i');

/** Where a secret sits inside a string, each with what to call it. */
const EMBEDDED: { what: string; regex: RegExp }[] = [
  { what: 'URL password', regex: /\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@"']*:([^@\s/"']+)@/gi },
  { what: 'password=', regex: /(?:^|[\s?&;,"'(])(?:[A-Za-z0-9]+[_-])*(?:password|passwd|pwd)\s*=\s*(?:'([^'\n]*)'|([^\s&;"',)]+))/gi },
  { what: 'query parameter', regex: /[?&;](?:[A-Za-z0-9]+[_-])*(?:token|secret|api[_-]?key|apikey|access[_-]?key|auth)=([^\s&#"',;]{6,})/gi },
  { what: 'flag', regex: new RegExp(String.raw`(?:^|\s)${CREDENTIAL_FLAG}(?:=|[ \t]+)(?:'([^']*)'|"([^"]*)"|([^\s'"]+))`, 'gi') },
  { what: 'token', regex: new RegExp(String.raw`\b(${SK_KEY}|${VENDOR_TOKEN})`, 'g') },
  { what: 'Bearer token', regex: /\bBearer\s+([A-Za-z0-9._~+/=-]{6,})/gi },
];

export interface InlineSecret {
  value: string;
  /** Where in config.yaml, e.g. `mcp_servers.db.args[3] (--password)` — never the value. */
  name: string;
  /** config.yaml, as given. */
  file: string;
  line: number;
}

/** Every inline secret of config.yaml, in document order, with its path and line. */
export async function inlineConfigSecretEntries(configFile: string): Promise<InlineSecret[]> {
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch {
    return []; // gateway.config reports an unreadable file
  }
  const lineCounter = new LineCounter();
  let document;
  try {
    document = parseDocument(text, { lineCounter, uniqueKeys: false });
  } catch {
    return [];
  }
  if (document.errors.length) return []; // gateway.config reports an invalid file with its position
  const found: InlineSecret[] = [];
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const push = (value: string | undefined, name: string, node: Node | null | undefined) => {
    if (value === undefined) return;
    const bare = value.replace(SCHEME, '');
    if (!bare || REFERENCE.test(bare) || bare === '[REDACTED]') return;
    const line = lineOf(node);
    found.push({ value: bare, name, file: configFile, line });
  };
  const scan = (value: string, where: string, node: Node, key: string) => {
    for (const { what, regex } of EMBEDDED) {
      // A flag is a credential only on a command line: `--token to authenticate` in a description is prose.
      if (what === 'flag' && key !== 'args' && key !== 'command') continue;
      for (const match of value.matchAll(regex)) {
        const secret = match.slice(1).find((group) => group !== undefined);
        if (secret && !secret.startsWith('-')) push(secret, `${where} (${what})`, node);
      }
    }
  };
  const walk = (node: unknown, path: string, key: string) => {
    if (isAlias(node)) return; // the anchored node is visited where it is defined (no alias bombs)
    if (isScalar(node)) {
      if (typeof node.value !== 'string') return;
      const value = node.value;
      if (value.startsWith('os.environ/')) return;
      if (nameLooksSecret(key)) push(value, path, node);
      else scan(value, path, node, key);
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        walk(item, `${path}[${index}]`, key);
        // `--token`, then the value as the next item.
        const next = node.items[index + 1];
        if (isScalar(item) && typeof item.value === 'string' && FLAG_ALONE.test(item.value) && isScalar(next) && typeof next.value === 'string' && !next.value.startsWith('-')) {
          push(next.value, `${path}[${index + 1}] (${item.value})`, next);
        }
      });
    } else if (isMap(node)) {
      for (const pair of node.items) {
        const name = isScalar(pair.key) ? String(pair.key.value) : '?';
        walk(pair.value, path ? `${path}.${name}` : name, name);
      }
    }
  };
  walk(document.contents, '', '');
  return found;
}

/** The values of every inline secret of config.yaml, in document order. */
export async function inlineConfigSecrets(configFile: string): Promise<string[]> {
  return (await inlineConfigSecretEntries(configFile)).map((s) => s.value);
}
