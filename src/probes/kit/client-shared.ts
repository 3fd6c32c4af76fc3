/**
 * Helpers the client probes share (`openwebui.config`, `vscode.config`, `claude.config`); their
 * JSON with positions is ../../formats/json.ts, their `.env` reader ../../formats/dotenv.ts:
 *
 * - file lists with `*`, `**` and `?` patterns, matching a client URL against the config's hosts,
 *   and stripping `${input:…}` / `${VAR}` references before looking for inline secrets.
 *
 * Nothing here quotes a file's text in a message: a broken line may hold a pasted secret.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Host } from '../../config/schema.ts';

// ---------------------------------------------------------------------------------------------
// File lists
// ---------------------------------------------------------------------------------------------

const GLOB_CHARS = /[*?[]/;
const SKIP_DIRS = new Set(['node_modules', '.git']);
const MAX_WALK_ENTRIES = 20_000;

/** `*` (within a path segment), `**` (any depth) and `?` as a regular expression over `/`-paths. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export interface ExpandedEntry {
  /** As configured. */
  pattern: string;
  /** Absolute files, sorted; a plain path is listed whether or not it exists. */
  files: string[];
  isGlob: boolean;
}

/**
 * Expands configured file entries (relative to `rootDir`): a plain path stays as it is; a pattern
 * with `*`, `**` or `?` lists the matching files (dot folders such as `.vscode` included).
 * Synchronous, so a probe's `inputs()` can use it.
 */
export function expandFiles(rootDir: string, patterns: string[]): ExpandedEntry[] {
  return patterns.map((pattern) => {
    const absolute = path.resolve(rootDir, pattern);
    if (!GLOB_CHARS.test(pattern)) return { pattern, files: [absolute], isGlob: false };
    const segments = absolute.split(path.sep);
    const firstGlob = segments.findIndex((s) => GLOB_CHARS.test(s));
    const base = segments.slice(0, firstGlob).join(path.sep) || path.sep;
    const regex = globToRegExp(segments.slice(firstGlob).join('/'));
    const files: string[] = [];
    let seen = 0;
    const walk = (dir: string, relative: string) => {
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        return;
      }
      for (const name of names) {
        if (++seen > MAX_WALK_ENTRIES) return;
        const full = path.join(dir, name);
        const rel = relative ? `${relative}/${name}` : name;
        let info;
        try {
          // lstat: a link to a folder is never walked into (`loop -> .` would list one file
          // thousands of times); a link to a file still counts as that file.
          info = lstatSync(full);
          if (info.isSymbolicLink()) {
            const target = statSync(full);
            if (!target.isFile()) continue;
            info = target;
          }
        } catch {
          continue;
        }
        if (info.isDirectory()) {
          if (!SKIP_DIRS.has(name)) walk(full, rel);
        } else if (info.isFile() && regex.test(rel)) files.push(full);
      }
    };
    walk(base, '');
    return { pattern, files: files.sort(), isGlob: true };
  });
}

// ---------------------------------------------------------------------------------------------
// Hosts
// ---------------------------------------------------------------------------------------------

export type PortPolicy = 'ignore' | 'match';

const defaultPort = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');

export interface HostMatch {
  /** The configured host with the same host name (and port, when ports are compared). */
  host?: Host;
  /** Same host name, but another scheme than the host is served over. */
  schemeMismatch?: boolean;
  /** Same host name and scheme, another port (only with `ports: match`). */
  portMismatch?: boolean;
}

/** Which configured host a client URL points at, comparing scheme and host name (and the port with `match`). */
export function matchHost(url: URL, hosts: Host[], ports: PortPolicy): HostMatch {
  const candidates = hosts.filter((h) => new URL(h.url).hostname.toLowerCase() === url.hostname.toLowerCase());
  if (!candidates.length) return {};
  const sameScheme = candidates.filter((h) => new URL(h.url).protocol === url.protocol);
  if (!sameScheme.length) return { host: candidates[0], schemeMismatch: true };
  if (ports === 'ignore') return { host: sameScheme[0] };
  const samePort = sameScheme.find((h) => defaultPort(new URL(h.url)) === defaultPort(url));
  return samePort ? { host: samePort } : { host: sameScheme[0], portMismatch: true };
}

/** A URL, or undefined for text that is not one. */
export function tryUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** `scheme://host[:port]/path` of a URL: never its user, password, query or fragment. */
export function safeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The URL a client should use for a host's MCP endpoint. */
export function endpointFor(host: Host, mcpPath: string): string {
  const base = new URL(host.url);
  return `${base.protocol}//${base.host}${mcpPath}`;
}

// ---------------------------------------------------------------------------------------------
// References and inline secrets
// ---------------------------------------------------------------------------------------------

/** VS Code `${input:id}`, `${env:NAME}`; Claude Code `${VAR}`, `${VAR:-default}`. */
export const REFERENCE = /\$\{(?:(input|env):([^}]+)|([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?)\}/g;

export interface Reference {
  kind: 'input' | 'env' | 'var';
  name: string;
  /** For `${VAR:-default}`. */
  fallback?: string;
  text: string;
}

export function referencesIn(value: string): Reference[] {
  return [...value.matchAll(REFERENCE)].map((m) =>
    m[1] ? { kind: m[1] as 'input' | 'env', name: m[2]!, text: m[0] } : { kind: 'var', name: m[3]!, ...(m[4] !== undefined ? { fallback: m[4] } : {}), text: m[0] },
  );
}

/** The literal part of a value: references removed, an auth scheme word (`Bearer`, `Basic`) dropped. */
export function literalPart(value: string): string {
  return value.replace(REFERENCE, '').replace(/^\s*(Bearer|Basic|Token)\b/i, '').trim();
}

/** Header names that carry the gateway key. */
export const KEY_HEADERS = ['authorization', 'x-litellm-api-key'];

/** Header names that carry a credential: the secrets' one rule (the key headers, per-server `x-mcp-<alias>-authorization`…). */
export { isCredentialHeader } from '../../secrets/secret-shapes.ts';
