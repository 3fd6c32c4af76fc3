/** The one-line summary of `traefik.labels`: the problems, or how each host is routed (and the warnings). */
import { formatFinding, type Finding } from '../../model/findings.ts';
import type { TraefikLabelsAnalysis } from './facts.ts';

export function summarise({ findings, facts }: TraefikLabelsAnalysis): string {
  const fails = findings.filter((f) => f.severity === 'fail');
  const warns = findings.filter((f) => f.severity === 'warn');
  const list = (items: Finding[]) =>
    items.slice(0, 3).map(formatFinding).join('; ') + (items.length > 3 ? `; and ${items.length - 3} more` : '');
  if (fails.length) return `${fails.length} problem${fails.length > 1 ? 's' : ''}: ${list(fails)}`;
  const routes = facts.hosts
    .map((h) => {
      const routers = h.routers.filter((r) => r.entryPoints.length === 0 || r.entryPoints.includes(h.entryPoint));
      const tls = routers.find((r) => r.tls);
      return `${h.host} → ${routers.map((r) => r.name).join(', ')} (${h.entryPoint}${tls ? `, TLS${tls.certResolver ? ` via ${tls.certResolver}` : ''}` : ''})`;
    })
    .join(', ');
  const base = `${facts.hosts.length} host${facts.hosts.length === 1 ? '' : 's'} routed to ${facts.composeService} on port ${facts.litellmPort}: ${routes}`;
  return warns.length ? `${base}; ${warns.length} warning${warns.length > 1 ? 's' : ''}: ${list(warns)}` : base;
}
