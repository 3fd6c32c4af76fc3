/** The status line and render context, now in src/probes/kit/render/status.ts; kept until the CLI imports it from there. */
export { evidenceHref, evidenceLink, STATUS_MARK, statusLine, type RegionOptions, type RenderContext } from '../probes/kit/render/status.ts';
