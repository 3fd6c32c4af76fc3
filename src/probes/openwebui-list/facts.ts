/**
 * What `openwebui.list` records: the Open WebUI it asked, the gateway endpoint its MCP connection
 * must point at, what the admin API showed (listed, verified, the tool names — untrusted text from
 * the gateway, kept as text), the findings and the listing cell. Never a key or token.
 */
import type { LiveFact } from '../openwebui-config/live.ts';
import type { ClientMatrixCell, Finding } from '../types.ts';

export interface OpenWebuiListFacts {
  url?: string;
  host: string;
  endpoint?: string;
  live?: LiveFact;
  findings: Finding[];
  clientMatrix: ClientMatrixCell[];
}
