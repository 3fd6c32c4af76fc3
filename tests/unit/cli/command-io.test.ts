/**
 * The output and argument handling every command's `main` starts with (src/cli/command-io.ts),
 * on its own and through every command that uses it (refresh-docs, upgrade-preview, init, verify,
 * scan-secrets): a usage error or --help answers before
 * anything runs, and every line printed is redacted, with the workspace's secrets once set.
 */
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CommandOutput, parseCommandArgs, parseCommandLine } from '../../../src/cli/command-io.ts';
import { INIT_USAGE, main as init } from '../../../src/cli/init.ts';
import { main as scanSecrets } from '../../../src/cli/scan-secrets.ts';
import { main as verify } from '../../../src/cli/verify.ts';
import { main as refreshDocs } from '../../../src/cli/refresh-docs.ts';
import { main as upgradePreview } from '../../../src/cli/upgrade-preview.ts';
import { EXIT_CODE } from '../../../src/model/errors.ts';
import { Redactor } from '../../../src/secrets/redactor.ts';
import { run } from '../../helpers/cli-workspace.ts';

function collected() {
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const output = new CommandOutput({ stdout: (l) => lines.stdout.push(l), stderr: (l) => lines.stderr.push(l) });
  return { lines, output };
}

const OPTIONS = { to: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

describe('parseCommandArgs', () => {
  it('returns the values, with defaults and help', () => {
    const { lines, output } = collected();
    expect(parseCommandArgs(output, { name: 'x', usage: 'Usage: x', argv: ['--to', '1.2.3'] }, OPTIONS)).toEqual({ to: '1.2.3', json: false, help: false });
    expect(lines).toEqual({ stdout: [], stderr: [] });
  });

  it('answers a malformed argument with exit 2, the command name and the usage on stderr, redacted', () => {
    const { lines, output } = collected();
    expect(parseCommandArgs(output, { name: 'x', usage: 'Usage: x', argv: ['--sk-live0123456789abcdef'] }, OPTIONS)).toBe(EXIT_CODE.usage);
    expect(lines.stdout).toEqual([]);
    expect(lines.stderr).toHaveLength(1);
    expect(lines.stderr[0]).toMatch(/^x: Unknown option '--\[REDACTED\]'[\s\S]*\n\nUsage: x$/);
  });

  it('answers -h and --help with exit 0 and the usage on stdout', () => {
    for (const flag of ['-h', '--help']) {
      const { lines, output } = collected();
      expect(parseCommandArgs(output, { name: 'x', usage: 'Usage: x', argv: [flag] }, OPTIONS)).toBe(EXIT_CODE.ok);
      expect(lines).toEqual({ stdout: ['Usage: x'], stderr: [] });
    }
  });

  it('takes no positional argument: a command that does uses parseCommandLine', () => {
    const { lines, output } = collected();
    expect(parseCommandArgs(output, { name: 'x', usage: 'Usage: x', argv: ['docs'] }, OPTIONS)).toBe(EXIT_CODE.usage);
    expect(lines.stderr[0]).toMatch(/^x: Unexpected argument 'docs'[\s\S]*\n\nUsage: x$/);
  });
});

describe('parseCommandLine', () => {
  it('returns the positionals beside the values, and answers errors and --help like parseCommandArgs', () => {
    const { lines, output } = collected();
    const command = { name: 'x', usage: 'Usage: x' };
    expect(parseCommandLine(output, { ...command, argv: ['docs', '--json', 'more'] }, OPTIONS)).toEqual({
      values: { json: true, help: false },
      positionals: ['docs', 'more'],
    });
    expect(parseCommandLine(output, { ...command, argv: ['docs', '--bogus'] }, OPTIONS)).toBe(EXIT_CODE.usage);
    expect(parseCommandLine(output, { ...command, argv: ['docs', '--help'] }, OPTIONS)).toBe(EXIT_CODE.ok);
    expect(lines.stdout).toEqual(['Usage: x']);
    expect(lines.stderr).toHaveLength(1);
    expect(lines.stderr[0]).toMatch(/^x: Unknown option '--bogus'[\s\S]*\n\nUsage: x$/);
  });
});

describe('CommandOutput', () => {
  it('redacts the generic forms at first, and the workspace secrets once its redactor is set', () => {
    const { lines, output } = collected();
    output.out('key sk-live0123456789abcdef, password hunter2-of-the-team');
    output.redactor = new Redactor(['hunter2-of-the-team']);
    output.err('password hunter2-of-the-team');
    expect(lines).toEqual({ stdout: ['key [REDACTED], password hunter2-of-the-team'], stderr: ['password [REDACTED]'] });
  });
});

describe.each([
  ['refresh-docs', refreshDocs, 'Usage: npm run refresh-docs'],
  ['upgrade-preview', upgradePreview, 'Usage: npm run proofbook -- upgrade-preview'],
  ['init', init, INIT_USAGE],
  ['verify', verify, 'Usage: npm run verify'],
  ['scan-secrets', scanSecrets, 'Usage: npm run scan-secrets'],
])('%s', (name, main, usage) => {
  it('exits 2 on an unknown option, naming itself, with its usage; --help prints the usage and exits 0', async () => {
    const bad = await run(main, ['--bogus']);
    expect(bad.code).toBe(EXIT_CODE.usage);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(new RegExp(`^${name}: Unknown option '--bogus'`));
    expect(bad.stderr).toContain(`\n\n${usage}`);
    const help = await run(main, ['-h']);
    expect(help).toMatchObject({ code: EXIT_CODE.ok, stderr: '' });
    expect(help.stdout.startsWith(usage)).toBe(true);
  });
});

describe('verify', () => {
  it('redacts what it prints with the generic forms (here a folder named like a key)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'command-io-'));
    try {
      const file = path.join(dir, 'sk-live0123456789abcdef');
      await writeFile(file, 'not a folder');
      const result = await run(verify, ['--evaluation-dir', file]);
      expect(result.code).toBe(EXIT_CODE.usage);
      expect(result.stderr).toContain('is not a folder');
      expect(result.stderr).toContain('[REDACTED]');
      expect(result.stderr).not.toContain('sk-live0123456789abcdef');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
