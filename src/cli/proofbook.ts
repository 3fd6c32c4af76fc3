/**
 * `proofbook <command>`: one bin for Proofbook's commands — init, refresh-docs, verify,
 * scan-secrets, upgrade-preview — each passed its arguments and output hooks unchanged. Every command's `main`
 * takes `{argv, stdout, stderr}` and returns the exit code (src/model/errors.ts); this returns it too.
 * The lab and the demo are not here; upgrade-preview is the one command that starts a lab (a second
 * one, on the workspace's own files).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXIT_CODE } from '../model/errors.ts';

export interface ProofbookMainOptions {
  argv: string[];
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
}

type CommandMain = (options: ProofbookMainOptions) => Promise<number>;

/** Command → module (loaded on use, so `init` never loads the probes' dependencies it does not need). */
const COMMANDS: Record<string, { module: string; about: string }> = {
  init: { module: './init.ts', about: 'adopt Proofbook on a folder of hand-written runbooks (diff first; --yes writes)' },
  'refresh-docs': { module: './refresh-docs.ts', about: 'run the probes, store evidence, rewrite the generated parts of the runbooks' },
  verify: { module: './verify.ts', about: 'verify the workspace (see its --help)' },
  'scan-secrets': { module: './scan-secrets.ts', about: 'scan the evidence, the runbooks and the built site for secrets' },
  'upgrade-preview': { module: './upgrade-preview.ts', about: 'run a second lab with another LiteLLM version and show what the upgrade changes' },
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
    return command ? EXIT_CODE.ok : EXIT_CODE.usage;
  }
  const entry = COMMANDS[command];
  const url = entry && new URL(entry.module, import.meta.url);
  if (!entry || !existsSync(fileURLToPath(url!))) {
    err(`proofbook: ${entry ? `"${command}" is not available in this version` : `unknown command "${command}"`}\n\n${PROOFBOOK_USAGE}`);
    return EXIT_CODE.usage;
  }
  const module = (await import(url!.href)) as { main: CommandMain };
  return module.main({ argv: rest, stdout: options.stdout, stderr: options.stderr });
}
