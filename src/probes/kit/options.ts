/** Option fields many probes share, written once (zod only: option modules stay light). */
import { z } from 'zod';

/** `timeoutMs`: the probe's own deadline; the runner turns a probe past it into an error. */
export const probeTimeout = (defaultMs: number) =>
  z.number().int().positive().default(defaultMs).describe('Give up on the probe after this many milliseconds.');

/** `requestTimeoutMs`: the deadline of one HTTP request of a live probe. */
export const requestTimeout = (defaultMs = 10_000) =>
  z.number().int().positive().default(defaultMs).describe('Give up on one request after this many milliseconds.');
