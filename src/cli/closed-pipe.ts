/**
 * `refresh-docs | head -1`: once the reader closes the pipe, every later write fails with EPIPE,
 * emitted as an 'error' event that would kill the process mid-run (before its lock is released).
 * Output nobody reads is dropped instead, and the run finishes as it would have.
 */
export function dropOutputOnClosedPipe(...streams: NodeJS.WriteStream[]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}
