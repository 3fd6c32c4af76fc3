/**
 * What the runner does with each probe's context: options parsed once with the probe's schema
 * (invalid ones are an `error` naming the field, and the probe does not run), and the outcome
 * scrubbed with the run's own redactor after `run` returned — so a secret the probe added last,
 * after building its facts, is redacted too. The probes are test doubles: the point is the runner.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Config } from '../../../src/probes/config.ts';
import { runProbes } from '../../../src/probes/runner.ts';
import type { Probe, ProbeContext } from '../../../src/probes/types.ts';
import { refusingHttp } from '../../helpers/probe-context.ts';

const OptionsSchema = z.object({ port: z.number().int().default(4000) }).strict();
type Options = z.output<typeof OptionsSchema>;

const configWith = (probes: Record<string, unknown>) => ({ probes }) as unknown as Config;
const shared = (probes: Record<string, unknown>) => ({ config: configWith(probes), http: refusingHttp(), secrets: [{ key: 'DB_PASSWORD', value: 'workspace-secret-1234', file: 'x.env', line: 1 }] });
const run = (probe: Probe<object, Options>, probes: Record<string, unknown> = {}) => runProbes([probe as Probe], shared(probes), { timeoutMs: () => 2_000 });

describe('the runner and the probe context', () => {
  it('hands the probe its options parsed, defaults filled in', async () => {
    const seen: Options[] = [];
    const probe: Probe<object, Options> = { id: 'x.check', optionsSchema: OptionsSchema, run: async ({ options }) => (seen.push(options), { status: 'pass', summary: 'ok', facts: {}, transcript: [] }) };
    await run(probe);
    await run(probe, { 'x.check': { port: 8080 } });
    expect(seen).toEqual([{ port: 4000 }, { port: 8080 }]);
  });

  it('reports invalid options as an error naming the field, without running the probe', async () => {
    let ran = false;
    const probe: Probe<object, Options> = { id: 'x.check', optionsSchema: OptionsSchema, run: async () => ((ran = true), { status: 'pass', summary: 'ok', facts: {}, transcript: [] }) };
    const [result] = await run(probe, { 'x.check': { port: 'x' } });
    expect(ran).toBe(false);
    expect(result!.outcome.status).toBe('error');
    expect(result!.outcome.summary).toMatch(/^invalid options: probes\."x\.check"\.port: /);
    expect(result!.returned).toBe(false);
  });

  it('scrubs the outcome last, with what the probe added to its redactor after building its facts', async () => {
    const probe: Probe<object, Options> = {
      id: 'x.check',
      optionsSchema: OptionsSchema,
      async run(context: ProbeContext<Options>) {
        const found = 'inline-key-found-5678';
        const outcome = { status: 'fail' as const, summary: `inline key ${found}`, facts: { value: found, seeded: 'workspace-secret-1234' }, transcript: [{ at: 'now', kind: 'note', found }] };
        context.redactor.add(found);
        return outcome;
      },
    };
    const [result] = await run(probe);
    expect(JSON.stringify(result!.outcome)).not.toMatch(/inline-key-found-5678|workspace-secret-1234/);
    expect(result!.outcome.summary).toBe('inline key [REDACTED]');
    expect(result!.returned).toBe(true);
  });

  it('gives every run its own redactor: what one probe adds does not reach another', async () => {
    const adds: Probe = { id: 'x.adds', run: async (context) => (context.redactor.add('only-for-this-run-9012'), { status: 'pass', summary: 'ok', facts: {}, transcript: [] }) };
    const shows: Probe = { id: 'x.shows', run: async () => ({ status: 'pass', summary: 'only-for-this-run-9012', facts: {}, transcript: [] }) };
    const results = await runProbes([adds, shows], shared({}), { timeoutMs: () => 2_000 });
    expect(results.find((r) => r.id === 'x.shows')!.outcome.summary).toBe('only-for-this-run-9012');
  });
});
