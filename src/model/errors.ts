/**
 * One error hierarchy and one exit-code map for every command. An error Proofbook raises on
 * purpose is a ProofbookError and carries the exit code it means; anything else (a bug, an
 * unexpected failure of the system underneath) exits 1. A CLI maps an error with `exitCodeOf`,
 * never by listing classes.
 */

/** The exit codes every command shares. */
export const EXIT_CODE = {
  /** Done: everything passed, warned, was skipped or found its known limitation. */
  ok: 0,
  /** A probe failed or errored; an unexpected error. */
  failed: 1,
  /** Usage, config or input error: nothing was written. */
  usage: 2,
  /** `--check`: the docs would change, a claim is unproven, or the evidence was tampered with. */
  check: 3,
  /** Another refresh holds the lock. */
  busy: 4,
} as const;

export type ExitCode = (typeof EXIT_CODE)[keyof typeof EXIT_CODE];

export abstract class ProofbookError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The exit code an error means: its own for a ProofbookError, `failed` for anything else. */
export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof ProofbookError ? error.exitCode : EXIT_CODE.failed;
}

/** A command used wrongly where no file position is to blame (an unknown `--only` id): exit 2, nothing written. */
export class UsageError extends ProofbookError {
  readonly exitCode = EXIT_CODE.usage;
}
