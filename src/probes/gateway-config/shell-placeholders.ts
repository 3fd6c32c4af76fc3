/**
 * `${VAR}` in a server's `env` (`mcp_servers.<name>.env.<KEY>`): how docker compose and shells
 * write a variable, but LiteLLM 1.77.1 expands only `os.environ/VAR`, and it starts a stdio server
 * without a shell, so the server receives the literal `${VAR}` — a database URL or a root folder
 * that silently does not work. A failure, at file:line:col of the placeholder, with the fix.
 */
import type { Scalar, YAMLMap } from 'yaml';
import type { ConfigScan } from './config-scan.ts';
import { walkScalars } from './yaml-nodes.ts';

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`… as shells and compose write them. */
const SHELL_PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:]?[-+?=][^}]*)?\}/g;

export function checkShellPlaceholders(root: YAMLMap, scan: ConfigScan): void {
  walkScalars(root, [], (node, keys) => {
    if (keys[0] !== 'mcp_servers' || keys[2] !== 'env' || keys.length !== 4 || typeof node.value !== 'string') return;
    const first = SHELL_PLACEHOLDER.exec(node.value);
    SHELL_PLACEHOLDER.lastIndex = 0;
    if (first) reportPlaceholder(node as Scalar<string>, keys, first, scan);
  });
}

/** One finding per value, at its first placeholder. */
function reportPlaceholder(node: Scalar<string>, keys: (string | number)[], match: RegExpExecArray, scan: ConfigScan): void {
  const server = String(keys[1]);
  const key = String(keys[3]);
  const placeholder = match[0];
  const name = match[1]!;
  const whole = node.value.trim() === placeholder && placeholder === `\${${name}}`;
  const defined = scan.secrets.some((e) => e.key === name);
  const fix = whole
    ? `Write \`${key}: os.environ/${name}\`${defined ? '' : ` and define ${name} in a secrets file (none defines it)`}`
    : `LiteLLM resolves only a whole value: put the full value in a secrets file as ${key}=… and write \`${key}: os.environ/${key}\``;
  scan.findings.fail(
    'env.shell-placeholder',
    `${keys.join('.')}: ${placeholder} is not expanded: LiteLLM 1.77.1 resolves only \`os.environ/NAME\` (neither LiteLLM nor the stdio ` +
      `server's start expands \${…}), so ${server} receives the literal text "${node.value}". ${fix}`,
    placeholderPosition(node, placeholder, scan),
  );
}

/** Line and column of the placeholder in the file (the value's start when the source spells it otherwise). */
function placeholderPosition(node: Scalar<string>, placeholder: string, scan: ConfigScan): { line: number; column?: number } {
  if (!node.range) return { line: scan.lineOf(node) };
  const [start, end] = node.range;
  const at = scan.text.slice(start, end).indexOf(placeholder);
  return scan.positionOf(start + Math.max(at, 0));
}
