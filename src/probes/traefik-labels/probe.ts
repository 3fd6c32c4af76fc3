/**
 * `traefik.labels` (static): reads the Traefik labels of the compose file (or `docker run`
 * script) that starts LiteLLM and checks, for every configured host, that a router with
 * `Host(…)` sends it to LiteLLM on the right entrypoint, with TLS for https, on LiteLLM's port,
 * with `traefik.enable` and the docker network set. Secrets inside labels are findings too.
 * Every finding names `file:line`. The checks are in ./analysis.ts and the modules it calls.
 */
import type { Label, LabelSource } from '../../gateway/label-source.ts';
import { readLabelSource } from '../../gateway/read-labels.ts';
import { displayPath } from '../../fs/paths.ts';
import { formatFinding, statusOf, type Finding } from '../../model/findings.ts';
import type { Redactor } from '../../secrets/redactor.ts';
import { now } from '../kit/checks.ts';
import { Findings } from '../kit/findings.ts';
import { analyseTraefikLabels } from './analysis.ts';
import type { HostLike, TraefikLabelsFacts } from './facts.ts';
import type { TraefikLabelsOptions } from './options.ts';
import { summarise } from './summary.ts';
import type { Probe, ProbeContext, ProbeOutcome, TranscriptEntry } from '../types.ts';

export type { HostLike, TraefikHostFact, TraefikLabelsAnalysis, TraefikLabelsFacts, TraefikRouterFact } from './facts.ts';
export { analyseTraefikLabels } from './analysis.ts';

export const traefikLabelsProbe: Probe<TraefikLabelsFacts, TraefikLabelsOptions> = {
  id: 'traefik.labels',
  inputs: (config) => [{ file: config.gateway.composeFile, format: 'compose' }],
  async run(context: ProbeContext<TraefikLabelsOptions>): Promise<ProbeOutcome<TraefikLabelsFacts>> {
    context.signal.throwIfAborted();
    const file = context.config.gateway.composeFile;
    const display = displayPath(context.config.rootDir, file);
    const litellmPort = context.config.lab?.litellmPort ?? 4000;
    const emptyFacts = (findings: Finding[]): TraefikLabelsFacts => ({
      file: display,
      format: 'compose',
      litellmPort,
      keyEnvVar: context.config.gateway.keyEnvVar,
      enabled: false,
      hosts: context.config.hosts.map((h) => ({ host: h.name, url: h.url, entryPoint: '', routers: [], ok: false })),
      services: [],
      findings,
    });

    const options = { ...context.options, litellmPort: context.options.litellmPort ?? litellmPort };

    let source: LabelSource;
    try {
      source = await readLabelSource(file, display, context.signal);
    } catch (error) {
      context.signal.throwIfAborted();
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      const unreadable = new Findings(display).fail('compose.unreadable', `cannot read the compose file (${code}); check gateway.composeFile`, 1);
      return { status: 'error', summary: formatFinding(unreadable), facts: emptyFacts([unreadable]), transcript: [] };
    }
    context.signal.throwIfAborted();

    const gateway = { keyEnvVar: context.config.gateway.keyEnvVar, mcpPath: context.config.gateway.mcp?.path };
    const analysis = analyseTraefikLabels(source, context.config.hosts, options, context.redactor, gateway);
    const transcript: TranscriptEntry[] = [
      {
        at: now(),
        kind: 'traefik-labels',
        file: display,
        format: source.format,
        composeService: analysis.facts.composeService,
        labels: analysis.labels.map(({ service, key, value, line }) => ({ service, key, value, line })),
      },
    ];
    return { status: statusOf(analysis.findings), summary: summarise(analysis), facts: analysis.facts, transcript, target: [display] };
  },
};

/** The findings for a label source (or a bare list of labels) against the configured hosts, redacted with `redactor`. */
export function checkTraefikLabels(input: LabelSource | Label[], hosts: HostLike[], options: TraefikLabelsOptions, redactor: Redactor): Finding[] {
  return analyseTraefikLabels(input, hosts, options, redactor).findings;
}
