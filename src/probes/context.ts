/**
 * A probe's context for one run: what every probe of the run shares (config, HTTP client, the
 * workspace's secrets) plus its own options, parsed here once from `probes.<id>` with its
 * definition's schema, and its own redactor, seeded with the workspace's secrets. So probes
 * neither parse their options nor build a redactor: they read `context.options`, add what they
 * find to `context.redactor`, and what they return is scrubbed with it after `run` (`runProbe`
 * here, and ./runner.ts).
 */
import { Redactor } from '../secrets/redactor.ts';
import type { Config } from './config.ts';
import type { Probe, ProbeContext, ProbeOutcome } from './types.ts';

/** What the probes of one run share; each gets its own options, redactor and signal on top. */
export type SharedContext = Omit<ProbeContext, 'signal' | 'options' | 'redactor'>;

/** A probe's options as parsed, or what is wrong with them: one `probes."<id>".<field>: <problem>` per issue. */
export type ParsedOptions<Options> = { options: Options; problems?: undefined } | { options?: undefined; problems: string[] };

/** `probes.<id>` parsed with the probe's schema (its defaults when absent). */
export function parseProbeOptions<Options>(probe: Pick<Probe<object, Options>, 'id' | 'optionsSchema'>, config: Config): ParsedOptions<Options> {
  const raw: unknown = (config.probes as Record<string, unknown>)[probe.id] ?? {};
  // A probe without a definition (a test double) gets its section as written.
  if (!probe.optionsSchema) return { options: raw as Options };
  const parsed = probe.optionsSchema.safeParse(raw);
  if (parsed.success) return { options: parsed.data };
  return { problems: parsed.error.issues.map((issue) => `probes."${probe.id}"${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`) };
}

/** What a run records for options that do not parse: the probe does not run. */
export function invalidOptionsOutcome(problems: string[]): ProbeOutcome {
  return { status: 'error', summary: `invalid options: ${problems.join('; ')}`, facts: { invalidOptions: problems }, transcript: [] };
}

/** The redactor of one probe run: the workspace's secret values, to which the probe adds what it finds. */
export function probeRedactor(shared: Pick<SharedContext, 'secrets'>): Redactor {
  return new Redactor(shared.secrets.map((entry) => entry.value));
}

/** The context of one run of `probe`, or the outcome that reports its options as invalid. */
export function probeContext<Options>(
  probe: Probe<object, Options>,
  shared: SharedContext,
  signal: AbortSignal,
  redactor: Redactor = probeRedactor(shared),
): { context: ProbeContext<Options>; invalid?: undefined } | { context?: undefined; invalid: ProbeOutcome } {
  const parsed = parseProbeOptions(probe, shared.config);
  if (parsed.problems) return { invalid: invalidOptionsOutcome(parsed.problems) };
  return { context: { ...shared, signal, options: parsed.options, redactor } };
}

/**
 * One run of `probe` as the runner makes it, without its timeout and crash handling (what `run`
 * throws is thrown): options that do not parse are an `error` naming the field (the probe does
 * not run; its facts are then not `Facts`), and the outcome is scrubbed with the run's redactor
 * after `run` returns, so a value the probe added last is redacted too.
 */
export async function runProbe<Facts extends object, Options>(probe: Probe<Facts, Options>, shared: SharedContext, signal: AbortSignal): Promise<ProbeOutcome<Facts>> {
  const redactor = probeRedactor(shared);
  const { context, invalid } = probeContext(probe, shared, signal, redactor);
  if (!context) return redactor.redactValue(invalid) as ProbeOutcome<Facts>;
  return redactor.redactValue(await probe.run(context));
}
