/**
 * The site's Content-Security-Policy: defence in depth under the Markdown hardening
 * (../markdown/harden.ts). Runbooks come from any PR, and Markdown allows raw HTML, so a
 * `<script>` or an `onerror=` in a runbook must not run on the published site.
 *
 * Astro writes the policy into every page (`security.csp`) with the hashes of the scripts and
 * styles it bundles. Starlight also ships a few `<script is:inline>` blocks (theme, search
 * shortcut, sidebar state) that Astro does not hash; their hashes are computed here from
 * Starlight's own component sources, so exactly the scripts the site ships are allowed and
 * anything else a page carries is refused. Style attributes (table alignment, syntax colours)
 * stay allowed: they cannot run script.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const INLINE_SCRIPT = /<script\s+is:inline(?:\s[^>]*)?>([\s\S]*?)<\/script>/g;

/** Where the Starlight package is installed, next to this project. */
function starlightDir(): string {
  return fileURLToPath(new URL('../../node_modules/@astrojs/starlight/', import.meta.url));
}

/** `sha256-…` of every `<script is:inline>` in the `.astro` files under `dir`, as Astro emits them (verbatim). */
export function inlineScriptHashes(dir: string): string[] {
  const hashes = new Set<string>();
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.astro') && !f.split(path.sep).includes('node_modules'));
  for (const file of files) {
    for (const match of readFileSync(path.join(dir, file), 'utf8').matchAll(INLINE_SCRIPT)) {
      hashes.add(`sha256-${createHash('sha256').update(match[1]!).digest('base64')}`);
    }
  }
  return [...hashes].sort();
}

/** The `security.csp` value of astro.config.mjs. */
export function siteCsp() {
  return {
    algorithm: 'SHA-256' as const,
    directives: ["object-src 'none'", "base-uri 'self'", "form-action 'self'"] as (`object-src${string}` | `base-uri${string}` | `form-action${string}`)[],
    scriptDirective: {
      // Pagefind (the search) compiles WebAssembly; that permits no JavaScript eval.
      resources: ["'self'", "'wasm-unsafe-eval'"],
      hashes: inlineScriptHashes(starlightDir()) as `sha256-${string}`[],
    },
    styleDirective: {
      resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' as const }],
    },
  };
}

const CSP_META = /<meta http-equiv="content-security-policy" content="[^"]*">/;

/**
 * A page with its CSP meta tag on a line of its own. Line-based secret scanners (detect-secrets)
 * read its script hashes as high-entropy strings; on its own line, the tag is allow-listed exactly
 * (src/secrets/scanners.ts) without hiding the rest of the page's line. Applied by ./page-pass.ts.
 */
export function cspOnItsOwnLine(html: string): string {
  return html.replace(CSP_META, (tag) => `\n${tag}\n`);
}
