/**
 * Adds the status dashboard page (../pages/status.astro) at /status/. An injected route
 * rather than a file in src/pages: the site's pages all come from the workspace, and this
 * keeps the dashboard with the rest of the site stage.
 *
 * The page loads the dashboard code (./index.ts) with a plain Node import of the URL that the
 * `virtual:proofbook/dashboard` module gives it, instead of letting Vite bundle it: the
 * dashboard reads the workspace through Proofbook's own modules (config, evidence index,
 * probe registry), some of which locate files from their own `import.meta.url` — which a
 * bundle chunk would change.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

export const STATUS_PATH = 'status';

/** The sidebar entry (Starlight prefixes `base`). */
export const STATUS_SIDEBAR_ITEM = { label: 'Status', link: `/${STATUS_PATH}/` };

const VIRTUAL_ID = 'virtual:proofbook/dashboard';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

export function statusDashboard(): AstroIntegration {
  return {
    name: 'proofbook-status-dashboard',
    hooks: {
      'astro:config:setup': ({ injectRoute, updateConfig }) => {
        injectRoute({ pattern: `/${STATUS_PATH}`, entrypoint: fileURLToPath(new URL('../pages/status.astro', import.meta.url)), prerender: true });
        const entry = new URL('./index.ts', import.meta.url).href;
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'proofbook-dashboard-entry',
                resolveId: (id: string) => (id === VIRTUAL_ID ? RESOLVED_ID : undefined),
                load: (id: string) => (id === RESOLVED_ID ? `export const dashboardEntry = ${JSON.stringify(entry)};` : undefined),
              },
            ],
          },
        });
      },
    },
  };
}
