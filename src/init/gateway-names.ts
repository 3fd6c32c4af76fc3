/**
 * `proofbook init`: what the configured gateway is called, and which documents and sections are
 * about it.
 *
 * A folder of runbooks holds far more than the gateway's: other services' runbooks, model price
 * tables, templates. init only binds items and proposes regions where the gateway is the subject,
 * so it needs the gateway's names — LiteLLM itself, its hosts, its MCP servers, its compose
 * service and routers, its config and secrets files — from what `detect` found and from an
 * existing workspace config. A document is about the gateway when its path or title names it, or
 * when it names it in more than one of its sections; a document that mentions it once in passing
 * is about something else, and init says so.
 */
import path from 'node:path';
import { namesAny, type GatewayNames } from '../probes/kit/adopt.ts';
import type { GatewayFiles } from './detect.ts';
import { hostsFromRouting } from './write-config.ts';

/** The gateway's names, with the words a document may call it by. */
export interface GatewayTerms extends GatewayNames {
  /** Config and compose file paths, as a document would cite them (`litellm/config.yaml`). */
  files: string[];
  /** Folders (relative to the scanned one) that hold the gateway's config or compose file: `projects/litellm`. */
  homes?: string[];
}

/** What an existing workspace config says of the gateway (read raw: an invalid config still names things). */
export interface ConfiguredGateway {
  servers?: string[];
  hostUrls?: string[];
  secretsFiles?: string[];
  files?: string[];
}

/** The words for the gateway itself: it is LiteLLM whatever its service is called. */
const GATEWAY_WORDS = ['litellm'];

export function gatewayTerms(gateway: GatewayFiles, configured: ConfiguredGateway = {}): GatewayTerms {
  const unique = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => Boolean(v && v.trim())).map((v) => v.trim()))];
  const routing = gateway.composeFiles[0]?.routing;
  const hostOf = (url: string) => {
    try {
      return new URL(url).hostname;
    } catch {
      return undefined;
    }
  };
  const hosts = unique([...hostsFromRouting(gateway).map((h) => hostOf(h.url)), ...(configured.hostUrls ?? []).map(hostOf)]).filter(
    (host) => host.includes('.') && !/^\d+(\.\d+){3}$/.test(host) && host !== 'localhost',
  );
  const secretsFiles = unique(
    [...gateway.secretsFiles, ...gateway.examples.map((e) => e.replace(/\.example$/i, '')), ...(configured.secretsFiles ?? [])].map((file) => path.posix.basename(file)),
  ).filter((name) => name.toLowerCase() !== '.env'); // a bare `.env` names every service
  const files = unique([...gateway.litellmConfigs.map((c) => c.rel), ...gateway.composeFiles.map((c) => c.rel), ...(configured.files ?? [])].map(citedPath));
  const homes = unique([...gateway.litellmConfigs, ...gateway.composeFiles].map((c) => path.posix.dirname(c.rel))).filter((dir) => dir !== '.');
  return {
    homes,
    servers: unique([...gateway.litellmConfigs.flatMap((c) => c.servers), ...(configured.servers ?? [])]),
    hosts,
    secretsFiles,
    services: unique([...GATEWAY_WORDS, routing?.composeService, ...(routing?.routers.map((r) => r.name) ?? [])]),
    files,
  };
}

/** A file as a document cites it: its last folder and name (`litellm/config.yaml`), the name alone when it is distinctive. */
function citedPath(rel: string): string {
  const parts = rel.split('/').filter((p) => p && p !== '.' && p !== '..');
  const name = parts.at(-1) ?? rel;
  return /^(config|docker-compose|compose)\.ya?ml$/i.test(name) && parts.length > 1 ? parts.slice(-2).join('/') : name;
}

/** Every name of the gateway a text may use. */
export const allNames = (terms: GatewayTerms): string[] => [...terms.services, ...terms.hosts, ...terms.servers, ...terms.secretsFiles, ...terms.files];

/** Which of the gateway's names a text uses. */
export function namesIn(text: string, terms: GatewayTerms): string[] {
  return allNames(terms).filter((name) => namesAny(text, [name]));
}

export interface Relevance {
  about: boolean;
  /** Why it is (or is not) about the gateway, for the report. */
  why: string;
}

const FENCE = /^([ \t]*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2[ \t]*$/gm;
const SECTION_HEADING = /^#{1,2}[ \t]+(.*)$/gm;

/**
 * Whether a document is about the gateway: its path or title names it, or at least two of its
 * sections (the text before the first `##` counts as one) do — at least half of them when it sits
 * in another service's folder (`projects/arangodb/` beside the gateway's `projects/litellm/`),
 * where a runbook that shows how its service is reached through the gateway is still about that
 * service. Code counts as text (a curl to its host names it); headings in code do not split sections.
 */
export function aboutGateway(rel: string, text: string, terms: GatewayTerms): Relevance {
  const pathNames = namesIn(rel.replace(/\.md$/i, ''), { ...terms, hosts: [], files: [], secretsFiles: [] });
  if (pathNames.length) return { about: true, why: `its path names ${pathNames[0]}` };
  const masked = text.replace(FENCE, (block) => block.replace(/^#/gm, ' '));
  const title = /^#[ \t]+(.*)$/m.exec(masked)?.[1] ?? '';
  const titleNames = namesIn(title, terms);
  if (titleNames.length) return { about: true, why: `its title names ${titleNames[0]}` };

  const starts = [0, ...[...masked.matchAll(SECTION_HEADING)].filter((m) => m[0].startsWith('## ')).map((m) => m.index!)];
  const headingAt = (start: number) => /^#+[ \t]+(.*)$/m.exec(masked.slice(start))![1]!.trim();
  const sections = starts.map((start, i) => ({ heading: i === 0 ? '(before the first heading)' : headingAt(start), text: text.slice(start, starts[i + 1] ?? text.length) }));
  const naming = sections.map((section) => ({ ...section, names: namesIn(section.text, terms) })).filter((section) => section.names.length);
  const names = [...new Set(naming.flatMap((s) => s.names))];
  if (naming.length === 0) return { about: false, why: 'never names the gateway (LiteLLM, its hosts, MCP servers, compose service or config files)' };
  const where = naming.map((s) => `"${s.heading}"`).slice(0, 3).join(', ');
  const folder = otherServiceFolder(rel, terms.homes ?? []);
  if (folder) {
    if (naming.length * 2 >= sections.length && naming.length >= 2) return { about: true, why: `names ${names.slice(0, 3).join(', ')} in ${naming.length} of ${sections.length} sections` };
    return { about: false, why: `in ${folder}/, another service's folder, and names the gateway (${names.slice(0, 3).join(', ')}) only under ${where}, ${naming.length} of ${sections.length} sections` };
  }
  if (naming.length >= 2) return { about: true, why: `names ${names.slice(0, 3).join(', ')} in ${naming.length} of ${sections.length} sections` };
  return { about: false, why: `names the gateway (${names.slice(0, 3).join(', ')}) only under ${where}, 1 of ${sections.length} sections: a document about something else` };
}

/** `ArangoDB MCP Server`: a name before "MCP server" (not a generic word such as "Gateway" or "Our"). */
const ANOTHER_MCP_SERVER = /^\W*(?!(?:mcp|gateway|proxy|the|our|new|remote|local|each|all|every|other|stdio|https?|sse|streamable)\b)[A-Z][\w.-]*(?:\s+(?!mcp\b)[A-Z][\w.-]*)?\s+mcp[\s-]servers?\b/i;

/** The folder of another service a document sits in: a sibling of a gateway folder (`projects/arangodb` beside `projects/litellm`). */
function otherServiceFolder(rel: string, homes: string[]): string | undefined {
  for (const home of homes) {
    // Only a folder of services (`projects/`) has siblings that are other services: `lab/` beside `content/` is not one.
    const parent = path.posix.dirname(home);
    if (parent === '.') continue;
    const prefix = `${parent}/`;
    if (!rel.startsWith(prefix)) continue;
    const folder = rel.slice(prefix.length).split('/')[0]!;
    if (rel.slice(prefix.length).includes('/') && `${prefix}${folder}` !== home && !home.startsWith(`${prefix}${folder}/`)) return `${prefix}${folder}`;
  }
  return undefined;
}

/**
 * A heading about another service: a per-server tool count (`Filesystem (9 tools)`, `ArangoDB
 * (7 tools) - ✅ DEPLOYED`) or an MCP server's own section, naming none of the gateway's names.
 * Its plan items are not the gateway's, and no region goes under it.
 */
export function headingAboutAnotherService(heading: string, terms: GatewayTerms): boolean {
  // `Postgres (1 tool)` is the gateway's `mcp_postgres`: a server is also called by its bare name.
  const bare = terms.servers.map((server) => server.replace(/^mcp[_-]/i, '')).filter((name) => name.length >= 3);
  if (namesAny(heading, [...allNames(terms), ...bare])) return false;
  return /\(\s*\d+\s+tools?\b/i.test(heading) || ANOTHER_MCP_SERVER.test(heading);
}

/** A per-server section (`Filesystem (9 tools)`, `mcp_postgres (1 tool)`): the gateway-wide catalog never goes under it. */
export const perServerHeading = (heading: string): boolean => /\(\s*\d+\s+tools?\b/i.test(heading);
