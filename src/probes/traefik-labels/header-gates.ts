/**
 * Routers gated on a request header, as teams gate LiteLLM on the key
 * (`Host(…) && HeaderRegexp(\`Authorization\`, \`^Bearer\s+.+\`)`, with open routers for `/ui` and the
 * docs). Such a router serves its host, but only to requests that carry the header; without it
 * Traefik answers 404, not LiteLLM's 401. Said once per router (information), and a warning when
 * no router of the host lets through the request clients actually send: `POST <mcp path>` with
 * `Authorization: Bearer <key>` (Codex's `bearer_token_env_var`, Claude Code, VS Code, Open WebUI,
 * and Proofbook's own live probes).
 */
import type { TraefikRouter } from '../../gateway/traefik-routing.ts';
import { explainMismatch, ruleMatchesRequest, type RuleRequest } from '../../gateway/traefik-rule-match.ts';
import { tryParseRule } from '../../gateway/traefik-rules.ts';
import { KEY_HEADER, KEY_HEADER_SHOWN } from '../kit/gateway-key.ts';
import type { LabelFindings } from './label-findings.ts';
import type { HostRoute, LiteLLMRouting } from './litellm-routing.ts';

/** Not a key: what a client's key looks like to a rule. */
const SAMPLE_KEY = 'sk-proofbook-sample-key';

/** `routers`: the host's routers on its entrypoint. */
export function checkHeaderGates(service: LiteLLMRouting, route: HostRoute, routers: TraefikRouter[], findings: LabelFindings): void {
  const { url, hostname } = route;
  const { keyEnvVar, mcpPath } = service.options;
  const bare: RuleRequest = { host: hostname, headers: {} };
  const client: RuleRequest = { host: hostname, path: mcpPath, method: 'POST', headers: { [KEY_HEADER]: `Bearer ${SAMPLE_KEY}` } };
  const refused: { text: string; line: number }[] = [];
  let letsClientsThrough = false;
  for (const router of routers) {
    const tree = tryParseRule(router.rule);
    if (!tree) {
      letsClientsThrough = true; // a broken rule has its own finding; say nothing more of it
      continue;
    }
    const syntax = service.syntaxOf(router);
    const line = router.lines.rule ?? router.line;
    if (ruleMatchesRequest(tree, client, syntax) !== false) letsClientsThrough = true;
    const gate = explainMismatch(tree, bare, syntax);
    if (!gate?.headers.length) continue;
    const clientMismatch = explainMismatch(tree, client, syntax);
    if (clientMismatch?.headers.length) {
      refused.push({ text: `${router.name} needs ${clientMismatch.text} (line ${line})`, line });
    } else {
      findings.info(
        'host.header-gated',
        `router ${router.name} serves ${url} only to requests that match ${gate.text}; to any other request Traefik answers 404, not LiteLLM's 401. ` +
          `Clients and Proofbook's live probes send \`${KEY_HEADER_SHOWN}: Bearer $${keyEnvVar}\`, which it lets through`,
        line,
      );
    }
  }
  if (refused.length && !letsClientsThrough) {
    findings.warn(
      'host.key-header-gate',
      `no router for ${url} lets a client's request through: ${refused.map((r) => r.text).join('; ')}, but clients (Codex's bearer_token_env_var, Claude Code, VS Code, ` +
        `Open WebUI) and Proofbook's live probes send the key as \`${KEY_HEADER_SHOWN}: Bearer <key>\`, so Traefik answers them 404. ` +
        `Gate on HeaderRegexp(\`Authorization\`, \`^Bearer\\s+.+\`), or accept both headers with ||`,
      refused[0]!.line,
    );
  }
}
