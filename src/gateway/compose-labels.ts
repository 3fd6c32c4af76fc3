/**
 * The compose-label modules under one name, for the importers that still use it (src/refresh,
 * src/init, src/lab, tests). New code imports the module it needs:
 * ./label-source.ts (the shape), ./read-labels.ts (reading a file), ./compose-file.ts and
 * ./docker-run-script.ts (the two parsers), ./traefik-routing.ts (labels → routers, services,
 * middlewares), ./traefik-rules.ts (router rules).
 */
export * from './label-source.ts';
export * from './read-labels.ts';
export * from './compose-file.ts';
export * from './docker-run-script.ts';
export * from './traefik-routing.ts';
export * from './traefik-rules.ts';
