/** `litellm_settings.mcp_aliases`: a map, and every alias points at a server registered under `mcp_servers`. */
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import type { ConfigScan } from './config-scan.ts';
import { keyOf, normalize, pairOf } from './yaml-nodes.ts';

export function checkAliases(root: YAMLMap, registered: string[], scan: ConfigScan): void {
  const { facts, findings } = scan;
  const litellm = pairOf(root, 'litellm_settings');
  const aliasesPair = isMap(litellm?.value) ? pairOf(litellm.value, 'mcp_aliases') : undefined;
  if (!aliasesPair || aliasesPair.value == null) return;
  if (!isMap(aliasesPair.value)) {
    findings.fail('alias.not-a-map', 'litellm_settings.mcp_aliases must map alias → server name', scan.lineOf(aliasesPair.key as Node));
    return;
  }
  for (const pair of aliasesPair.value.items) {
    const alias = keyOf(pair);
    const line = scan.lineOf((pair.value ?? pair.key) as Node);
    const server = isScalar(pair.value) && pair.value.value != null ? String(pair.value.value) : '';
    const resolves = registered.includes(server);
    facts.aliases.push({ alias, server, line, resolves });
    if (resolves) continue;
    const similar = registered.find((n) => normalize(n) === normalize(server));
    findings.fail(
      'alias.unknown-server',
      `litellm_settings.mcp_aliases.${alias} points to ${server ? `"${server}"` : 'nothing'}, which is not a server in mcp_servers ` +
        `(${registered.join(', ') || 'none'}); ${similar ? `did you mean "${similar}"?` : 'point it at a registered server or remove it'}`,
      line,
    );
  }
}
