/**
 * What the probes of one run share beyond the config, the HTTP client and the secrets: which
 * probes run together, and work started once for several of them. `vscode.list` and
 * `vscode.invoke` use it to observe through one code-server run (../vscode-list/code-server-shared.ts):
 * VS Code is the run's slowest and costliest client, and one run answers both.
 */
export interface RunScope {
  /** The ids of the probes in this run. */
  readonly probeIds: ReadonlySet<string>;
  /** The value `start` made for `key` in this run, made on the first call. */
  once<T>(key: string, start: () => T): T;
}

export function runScope(probeIds: Iterable<string>): RunScope {
  const made = new Map<string, unknown>();
  return {
    probeIds: new Set(probeIds),
    once<T>(key: string, start: () => T): T {
      if (!made.has(key)) made.set(key, start());
      return made.get(key) as T;
    },
  };
}
