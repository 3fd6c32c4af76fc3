/**
 * What a key-by-key check cannot see: a release that stops running the team's stdio MCP servers
 * unless the proxy's environment allows them. LiteLLM 1.110.2 (not 1.77.1) starts a stdio server
 * only with `LITELLM_ENABLE_MCP_STDIO=true` in its environment (`proxy/mcp_server/stdio_gate.py`;
 * without it the catalog is empty while `/mcp-rest/tools/list` still answers "ok"), and only
 * commands on an allowlist (`constants.MCP_STDIO_ALLOWED_COMMANDS`: npx, uvx, python, python3,
 * node, docker, deno, plus `LITELLM_MCP_STDIO_EXTRA_COMMANDS`).
 *
 * Told apart by behaviour of the source, not by version numbers: a finding only when the target's
 * source names the variable and the current one's does not. The lab sets both variables for its
 * own servers, so the preview lab cannot show this break; these findings do.
 */
import { isMap, isScalar, type Pair } from 'yaml';
import type { Finding } from '../model/findings.ts';
import { Findings } from '../probes/kit/findings.ts';
import type { ConfigCompatibilityInput } from './config-compat.ts';

const ENABLE_VARIABLE = 'LITELLM_ENABLE_MCP_STDIO';
const EXTRA_COMMANDS_VARIABLE = 'LITELLM_MCP_STDIO_EXTRA_COMMANDS';
/** The allowlist of LiteLLM 1.110.2's source (constants.py), which the extra-commands variable extends. */
export const STDIO_ALLOWED_COMMANDS: readonly string[] = ['npx', 'uvx', 'python', 'python3', 'node', 'docker', 'deno'];

/** Findings about the stdio servers of `config.yaml`, read from the parse configCompatibility checks (its YAML errors are reported there). */
export function stdioGateFindings({ configFile, yaml, from, to }: ConfigCompatibilityInput): Finding[] {
  const gates = to.names.has(ENABLE_VARIABLE) && !from.names.has(ENABLE_VARIABLE);
  const allowlist = to.names.has(EXTRA_COMMANDS_VARIABLE) && !from.names.has(EXTRA_COMMANDS_VARIABLE);
  if (!gates && !allowlist) return [];
  const { document, at } = yaml;
  const servers = isMap(document.contents) ? document.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === 'mcp_servers')?.value : undefined;
  if (!isMap(servers)) return [];
  const findings = new Findings(configFile);
  for (const server of servers.items as Pair[]) {
    if (!isScalar(server.key) || !isMap(server.value)) continue;
    // A `<<` merge key parses to a symbol (the document is read with merges): named as written.
    const name = typeof server.key.value === 'symbol' ? '<<' : String(server.key.value);
    const field = (key: string) => server.value && isMap(server.value) ? (server.value.items as Pair[]).find((pair) => isScalar(pair.key) && pair.key.value === key) : undefined;
    const transport = field('transport');
    const command = field('command');
    const stdio = (isScalar(transport?.value) && transport.value.value === 'stdio') || (!transport && isScalar(command?.value));
    if (!stdio) continue;
    if (gates) {
      findings.warn(
        'config.stdio.disabled',
        `\`mcp_servers.${name}\` is a stdio server: LiteLLM ${to.version} starts none without ${ENABLE_VARIABLE}=true in the proxy's environment (${from.version} needs nothing) — ` +
          'set it where LiteLLM runs (the compose service\'s `environment:`); without it the catalog is empty while /mcp-rest/tools/list still answers ok',
        at((server.key.range ?? [0])[0]),
      );
    }
    const program = isScalar(command?.value) ? String(command.value.value) : undefined;
    const base = program?.split('/').pop();
    if (allowlist && program && base && !STDIO_ALLOWED_COMMANDS.includes(base) && isScalar(command!.value)) {
      findings.warn(
        'config.stdio.command',
        `\`mcp_servers.${name}.command\` is \`${program}\`: LiteLLM ${to.version} runs only ${STDIO_ALLOWED_COMMANDS.join(', ')} as stdio commands, plus those in ${EXTRA_COMMANDS_VARIABLE} — ` +
          `add ${base} there (comma-separated) in the proxy's environment, or start the server through one of them`,
        at((command!.value.range ?? [0])[0]),
      );
    }
  }
  return findings.list;
}
