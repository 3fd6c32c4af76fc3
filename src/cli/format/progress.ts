/**
 * Progress while probes run: on a terminal, a status line naming the probes still running,
 * redrawn as each one finishes; elsewhere (CI, pipes) just one plain line per finished probe.
 */
import { visibleControls } from '../../markdown/harden.ts';
import { STATUS_MARK } from '../../probes/kit/render/status.ts';
import type { ProbeResult } from '../../probes/types.ts';

/** The line printed as a probe finishes: mark, id, status, time, its summary redacted with control characters shown. */
export function probeLine(result: ProbeResult, redact: (text: string) => string): string {
  return `${STATUS_MARK[result.status]} ${result.id.padEnd(16)} ${result.status.padEnd(5)} ${String(result.durationMs).padStart(6)} ms  ${visibleControls(redact(result.summary))}`;
}

export class Progress {
  private readonly running = new Set<string>();
  private readonly out: (line: string) => void;
  private readonly write?: (text: string) => void;
  private timer?: NodeJS.Timeout;
  private frame = 0;

  /**
   * @param out prints a finished probe's line.
   * @param write the terminal, for the redrawn status line; none: plain lines only.
   */
  constructor(out: (line: string) => void, write?: (text: string) => void) {
    this.out = out;
    this.write = write;
  }

  started(id: string): void {
    this.running.add(id);
    if (this.write && !this.timer) {
      this.timer = setInterval(() => this.draw(), 120);
      this.timer.unref();
    }
    this.draw();
  }

  finished(id: string, line: string): void {
    this.running.delete(id);
    this.clear();
    this.out(line);
    this.draw();
  }

  stop(): void {
    clearInterval(this.timer);
    this.clear();
  }

  private draw(): void {
    if (!this.write || this.running.size === 0) return;
    const spinner = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'[this.frame++ % 10];
    this.write(`\r\x1b[K${spinner} running ${[...this.running].join(', ')}`);
  }

  private clear(): void {
    this.write?.('\r\x1b[K');
  }
}
