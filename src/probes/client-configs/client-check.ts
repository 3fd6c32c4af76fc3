/**
 * One run of `vscode.config` or `claude.config`: what its checks read (the client, the options,
 * the gateway's MCP path and servers, the hosts every file must reach) and what they add to — the
 * findings, with the host a finding concerns (for the matrix), secrets found inline (added to the
 * run's redactor, so the outcome is scrubbed of them), the transcript and the facts.
 */
import type { Host } from '../../config/schema.ts';
import { gatewayMcp } from '../../config/gateway-mcp.ts';
import type { FindingSeverity } from '../../model/findings.ts';
import { displayPath } from '../kit/checks.ts';
import { Findings, type FindingAt } from '../kit/findings.ts';
import type { Finding, ProbeContext, TranscriptEntry } from '../types.ts';
import type { ClientSpec } from './clients.ts';
import type { ClientConfigFacts } from './facts.ts';
import type { ClientConfigOptions } from './options.ts';

export class ClientCheck {
  readonly spec: ClientSpec;
  readonly context: ProbeContext<ClientConfigOptions>;
  readonly options: ClientConfigOptions;
  /** The MCP path client URLs must use, and the servers `x-mcp-servers` may name. */
  readonly mcpPath: string;
  readonly knownServers: string[];
  /** The hosts every file must have a server entry for. */
  readonly required: Host[];
  readonly findings = new Findings();
  readonly transcript: TranscriptEntry[] = [];
  readonly facts: ClientConfigFacts;
  /** Findings that concern one host only (the rest concern every host of their file). */
  readonly findingHosts = new Map<Finding, string>();
  /** Findings about the docs, not the client config (kept out of the matrix). */
  readonly docFindings = new Set<Finding>();

  constructor(spec: ClientSpec, context: ProbeContext<ClientConfigOptions>) {
    const { config, options } = context;
    const gateway = gatewayMcp(config);
    this.spec = spec;
    this.context = context;
    this.options = options;
    this.mcpPath = options.mcpPath ?? gateway.path;
    this.knownServers = options.servers ?? gateway.servers;
    this.required = options.hosts ? config.hosts.filter((h) => options.hosts!.includes(h.name)) : config.hosts;
    this.facts = { client: spec.client, files: [], hosts: this.required.map((h) => h.name), mcpPath: this.mcpPath, findings: this.findings.list, clientMatrix: [] };
  }

  get config() {
    return this.context.config;
  }

  /** A secret written inline in a file: nothing the probe returns may show it. */
  inlineSecret(value: string): void {
    this.context.redactor.add(value);
  }

  show(file: string): string {
    return displayPath(this.config.rootDir, file);
  }

  /** A finding about a client config, for every host of its file or, with `host`, for that host only. */
  note(severity: FindingSeverity, code: string, message: string, at: FindingAt, host?: string): Finding {
    const finding = this.findings.add(severity, code, message, at);
    if (host) this.findingHosts.set(finding, host);
    return finding;
  }

  /** A finding about the runbook. */
  noteDocs(severity: FindingSeverity, code: string, message: string, at: FindingAt): Finding {
    const finding = this.findings.add(severity, code, message, at);
    this.docFindings.add(finding);
    return finding;
  }
}
