/**
 * What a command's `main` sets up before it runs anything: where its lines go, each through a
 * redactor that learns the workspace's secrets once the command has read them, and its options,
 * with a usage error or `--help` answered here. `main` keeps returning the exit code itself.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { EXIT_CODE } from '../model/errors.ts';
import { Redactor } from '../secrets/redactor.ts';

/** A command's output hooks (tests pass them to collect the lines); by default stdout and stderr. */
export interface OutputHooks {
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
}

/** A command's two outputs, a line at a time; every line printed goes through `redactor`. */
export class CommandOutput {
  /** The generic secret forms at first: the command sets the workspace's once it has read its secrets. */
  redactor = new Redactor();
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;

  constructor(hooks: OutputHooks) {
    const stdout = hooks.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
    const stderr = hooks.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
    this.out = (line) => stdout(this.redactor.redact(line));
    this.err = (line) => stderr(this.redactor.redact(line));
  }
}

const HELP = { help: { type: 'boolean', short: 'h', default: false } } as const;

/** The values of `options` (and `help`) parseArgs reads from a command's arguments. */
export type CommandArgs<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: O & typeof HELP }>>['values'];

/**
 * `command.argv` read against `options` and `-h/--help`; or, when there is nothing to run, the exit code:
 * a malformed argument is printed as `<command>: <what>` with the usage (2), `--help` prints the
 * usage (0). A positional argument is malformed here: a command that takes some uses `parseCommandLine`.
 */
export function parseCommandArgs<const O extends ParseArgsOptionsConfig>(
  output: CommandOutput,
  command: { name: string; usage: string; argv: string[] },
  options: O,
): CommandArgs<O> | number {
  const parsed = parse(output, command, options, false);
  return typeof parsed === 'number' ? parsed : parsed.values;
}

/** `parseCommandArgs` for a command that also takes positional arguments (folders, …): they come back beside the values. */
export function parseCommandLine<const O extends ParseArgsOptionsConfig>(
  output: CommandOutput,
  command: { name: string; usage: string; argv: string[] },
  options: O,
): { values: CommandArgs<O>; positionals: string[] } | number {
  return parse(output, command, options, true);
}

function parse<const O extends ParseArgsOptionsConfig>(
  output: CommandOutput,
  command: { name: string; usage: string; argv: string[] },
  options: O,
  allowPositionals: boolean,
): { values: CommandArgs<O>; positionals: string[] } | number {
  let parsed: { values: CommandArgs<O>; positionals: string[] };
  try {
    parsed = parseArgs({ args: command.argv, allowPositionals, options: { ...options, ...HELP } });
  } catch (error) {
    output.err(`${command.name}: ${(error as Error).message}\n\n${command.usage}`);
    return EXIT_CODE.usage;
  }
  // Generic in `options`, the values' type is not resolved here: `help` is there all the same.
  if ((parsed.values as { help: boolean }).help) {
    output.out(command.usage);
    return EXIT_CODE.ok;
  }
  return parsed;
}
