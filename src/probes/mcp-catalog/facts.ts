/** What `mcp.catalog` records as its facts: the shape its probe writes and its renderer reads. */
import type { McpCatalogOptions } from './options.ts';

export type CatalogTransport = McpCatalogOptions['transports'][number];

export interface CatalogServer {
  name: string;
  tools: string[];
  missingTools: string[];
}

/** How one transport did. Stable: no timings, no ping counts beyond the configured limit. */
export interface TransportCheck {
  transport: CatalogTransport;
  endpoint: string;
  status: 'pass' | 'warn' | 'fail';
  /** Why it is not a plain pass. */
  note?: string;
  toolCount?: number;
  /** One line per kind of exchange, sorted: `POST /mcp/ tools/list: 200 application/json`. */
  responses: string[];
  /** SSE event types seen (pings excluded; they are counted in the transcript), sorted. */
  sseEvents: string[];
}

/** The latest change of the catalog. */
export interface CatalogDiff {
  /** Result file (relative to the evaluation folder) of the catalog compared with; absent for the first catalog on record. */
  against?: string;
  /** Full tool names (`<server>-<tool>`) new since `against`. */
  added: string[];
  removed: string[];
  /** Tools whose input schema hash changed. */
  changed: string[];
}

export interface CatalogSnapshot {
  /** Result file that listed this catalog. */
  evidence: string;
  /** Full tool name → input schema hash ('' when only the name is known). */
  schemas: Record<string, string>;
  diff?: CatalogDiff;
}

export interface CatalogFacts {
  host: string;
  /** Endpoint whose catalog is shown (the first transport that listed tools). */
  endpoint: string;
  serverVersion?: string;
  protocolVersion?: string;
  pages: number;
  toolCount: number;
  servers: CatalogServer[];
  /** Tools whose prefix matches no requested server. */
  otherTools: string[];
  /** Hand-reproducible command (the key is read from the environment, never inlined). */
  reproduce: string;
  /** One entry per configured transport. */
  transports?: TransportCheck[];
  /** Full tool name → sha256 (16 hex) of its canonical JSON input schema; absent when no transport listed tools. */
  schemas?: Record<string, string>;
  /** The latest change of the catalog (see the module comment); absent when no transport listed tools. */
  diff?: CatalogDiff;
  /** When no transport listed tools: the last catalog on record, carried over for the next diff. */
  lastCatalog?: CatalogSnapshot;
}
