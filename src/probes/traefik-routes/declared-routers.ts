/**
 * The routers the compose labels declare, with the hostnames their rules name: when the running
 * Traefik lacks a host's router, the finding can point at the `file:line` that declares it.
 */
import { displayPath } from '../../fs/paths.ts';
import { readLabelSource } from '../../gateway/read-labels.ts';
import { toRouting } from '../../gateway/traefik-routing.ts';
import { hostsInRule } from '../../gateway/traefik-rules.ts';
import type { ProbeContext } from '../types.ts';

export interface DeclaredRouter {
  router: string;
  hostnames: string[];
  file: string;
  line: number;
}

/** Every router of the services with `traefik.enable`; none when the compose file cannot be read. */
export async function declaredRouters(context: ProbeContext): Promise<DeclaredRouter[]> {
  const file = context.config.gateway.composeFile;
  const shown = displayPath(context.config.rootDir, file);
  try {
    const source = await readLabelSource(file, shown, context.signal);
    const services = [...new Set(source.labels.filter((l) => l.key === 'traefik.enable').map((l) => l.service))];
    return services.flatMap((service) =>
      toRouting(source.labels, service, shown).routers.map((router) => ({
        router: router.name,
        hostnames: hostsInRule(router.rule ?? '').map((h) => h.toLowerCase()),
        file: shown,
        line: router.lines.rule ?? router.line,
      })),
    );
  } catch {
    return [];
  }
}
