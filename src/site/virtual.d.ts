/** Modules the site's integrations provide to its pages (see ./dashboard/integration.ts). */
declare module 'virtual:proofbook/dashboard' {
  /** file: URL of src/site/dashboard/index.ts, for a plain Node import. */
  export const dashboardEntry: string;
}
