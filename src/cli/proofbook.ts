/**
 * `proofbook <command>`: one bin for Proofbook's commands. `init` adopts a folder of runbooks;
 * `refresh-docs` (and `verify`, once it exists) are passed through unchanged. Each command's
 * `main` returns the exit code; this returns it too.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ProofbookMainOptions {
  argv: string[];
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
}

/** Commands name their output hooks `stdout`/`stderr` (init, refresh-docs) or `log`/`logError` (verify): both are passed. */
type CommandMain = (options: ProofbookMainOptions & { log?: (line: string) => void; logError?: (line: string) => void }) => Promise<number>;

/** Command → module (loaded on use, so `init` never loads the probes' dependencies it does not need). */
const COMMANDS: Record<string, { module: string; about: string }> = {
  init: { module: './init.ts', about: 'adopt Proofbook on a folder of hand-written runbooks (diff first; --yes writes)' },
  'refresh-docs': { module: './refresh-docs.ts', about: 'run the probes, store evidence, rewrite the generated parts of the runbooks' },
  verify: { module: './verify.ts', about: 'verify the workspace (see its --help)' },
};

export const PROOFBOOK_USAGE = `Usage: npm run proofbook -- <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, { about }]) => `  ${name.padEnd(13)} ${about}`)
  .join('\n')}

\`npm run proofbook -- <command> --help\` shows a command's options.`;

export async function main(options: ProofbookMainOptions): Promise<number> {
  const out = options.stdout ?? ((line) => process.stdout.write(`${line}\n`));
  const err = options.stderr ?? ((line) => process.stderr.write(`${line}\n`));
  const [command, ...rest] = options.argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    (command ? out : err)(PROOFBOOK_USAGE);
    return command ? 0 : 2;
  }
  const entry = COMMANDS[command];
  const url = entry && new URL(entry.module, import.meta.url);
  if (!entry || !existsSync(fileURLToPath(url!))) {
    err(`proofbook: ${entry ? `"${command}" is not available in this version` : `unknown command "${command}"`}\n\n${PROOFBOOK_USAGE}`);
    return 2;
  }
  const module = (await import(url!.href)) as { main: CommandMain };
  return module.main({ argv: rest, stdout: options.stdout, stderr: options.stderr, log: options.stdout, logError: options.stderr });
}
