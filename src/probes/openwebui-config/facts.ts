/**
 * What `openwebui.config` records: the .env's models and MCP tool server settings (origins,
 * paths, header names, key fingerprints — never a key), what the running Open WebUI showed, the
 * findings and the client-matrix cells (config and listing).
 */
import type { ClientMatrixCell, Finding } from '../types.ts';

export interface OpenWebuiConnectionFact {
  index: number;
  type: string;
  /** scheme://host[:port]/path of `url`. */
  url?: string;
  /** The configured host it points at. */
  host?: string;
  authType: string;
  /** How the key is sent: `bearer` (auth_type + key), `header` (Authorization / x-litellm-api-key), or `none`. */
  auth: 'bearer' | 'header' | 'none';
  keyFingerprint?: string;
  headers: string[];
  mcpServers?: string[];
  enabled: boolean;
  id?: string;
  name?: string;
}

export interface OpenWebuiFacts {
  envFile: string;
  sha256?: string;
  host: string;
  mcpEndpoint?: string;
  models?: {
    variable: 'OPENAI_API_BASE_URLS' | 'OPENAI_API_BASE_URL';
    line: number;
    /** Origin and path of each URL (the whole value is never shown). */
    urls: { origin: string; path: string; host?: string }[];
    /** Position of the gateway's URL in the list. */
    index?: number;
    key: { variable?: string; line?: number; present: boolean; fingerprint?: string; gatewayKey?: boolean };
  };
  toolServers?: { line: number; connections: OpenWebuiConnectionFact[]; gateway?: number };
  live?: {
    url: string;
    checked: boolean;
    /** Why it was not checked, or what failed. */
    reason?: string;
    listed?: boolean;
    verified?: boolean;
    tools?: string[];
    toolsPerServer?: Record<string, number>;
  };
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}
