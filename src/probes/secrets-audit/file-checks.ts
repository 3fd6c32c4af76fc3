/**
 * How a secrets file is kept, apart from what it holds: who may read it (its mode) and whether
 * git tracks or ignores it. Each asks the file system or git and reports what to run to fix it.
 */
import path from 'node:path';
import { execa } from 'execa';
import { now } from '../kit/checks.ts';
import type { TranscriptEntry } from '../types.ts';
import type { Audit } from './audit.ts';
import type { AuditedFile, GitState } from './facts.ts';

/** Fails a world-readable or -writable file, warns about a group-readable or -writable one. */
export function checkMode(audit: Audit, fact: AuditedFile, statMode: number): void {
  const mode = statMode & 0o777;
  fact.mode = `0${mode.toString(8).padStart(3, '0')}`;
  const chmod = `run \`chmod 600 ${fact.file}\``;
  if (mode & 0o006) {
    const what = [mode & 0o004 && 'readable', mode & 0o002 && 'writable'].filter(Boolean).join(' and ');
    audit.findings.fail(
      'file.world-accessible',
      `secrets file is world-${what} (mode ${fact.mode}): every user on this machine can ${mode & 0o004 ? 'read' : 'change'} these secrets. ` +
        `${capitalize(chmod)} and rotate the secrets if others may have read them`,
      { file: fact.file },
    );
  } else if (mode & 0o060) {
    const what = [mode & 0o040 && 'readable', mode & 0o020 && 'writable'].filter(Boolean).join(' and ');
    audit.findings.warn('file.group-accessible', `secrets file is group-${what} (mode ${fact.mode}); ${chmod} unless its group must read it`, { file: fact.file });
  }
}

/** Fails a file git tracks, warns about one a `git add .` would commit or git could not be asked about. */
export async function checkGit(audit: Audit, fact: AuditedFile, file: string): Promise<void> {
  const git = await gitState(file, audit.signal, audit.transcript, audit.show);
  fact.git = git.state;
  if (git.state === 'tracked') {
    audit.findings.fail(
      'file.tracked',
      `secrets file is tracked by git in the repository at ${git.repo}: its secrets are in the repository and its history. ` +
        `Run \`git -C ${git.repo} rm --cached -- ${path.relative(git.repo, file)}\`, add it to .gitignore, commit, and rotate every secret in it`,
      { file: fact.file },
    );
  } else if (git.state === 'not-ignored') {
    audit.findings.warn(
      'file.not-ignored',
      `secrets file is inside a git repository but not git-ignored: one \`git add .\` would commit it. Add it (or *.env) to .gitignore`,
      { file: fact.file },
    );
  } else if (git.state === 'unknown') {
    audit.findings.warn(
      'file.git-unknown',
      `could not ask git whether this secrets file is tracked (${git.detail}); check by hand with \`git ls-files --error-unmatch ${path.basename(file)}\``,
      { file: fact.file },
    );
  }
}

async function gitState(
  file: string,
  signal: AbortSignal,
  transcript: TranscriptEntry[],
  show: (file: string) => string,
): Promise<{ state: 'tracked'; repo: string } | { state: Exclude<GitState, 'tracked'>; detail?: string }> {
  const cwd = path.dirname(file);
  const name = path.basename(file);
  const git = async (args: string[]) => {
    const result = await execa('git', args, { cwd, reject: false, cancelSignal: signal, stdin: 'ignore' });
    signal.throwIfAborted();
    const stderr = String(result.stderr ?? '').split('\n')[0] ?? '';
    transcript.push({ at: now(), kind: 'exec', command: `git ${args.join(' ')}`, cwd: show(cwd) || '.', exitCode: result.exitCode ?? null, stderr });
    return { exitCode: result.exitCode, stdout: String(result.stdout ?? '').trim(), stderr, spawnError: result.exitCode === undefined ? (result as { code?: string }).code ?? result.shortMessage : undefined };
  };
  const listed = await git(['ls-files', '--error-unmatch', '--', name]);
  if (listed.spawnError) return { state: 'unknown', detail: `git did not run: ${listed.spawnError}` };
  if (listed.exitCode === 0) {
    const top = await git(['rev-parse', '--show-toplevel']);
    return { state: 'tracked', repo: top.exitCode === 0 && top.stdout ? top.stdout : cwd };
  }
  if (/not a git repository/i.test(listed.stderr)) return { state: 'not-a-repo' };
  if (listed.exitCode !== 1) return { state: 'unknown', detail: listed.stderr || `git exited with ${listed.exitCode}` };
  const ignored = await git(['check-ignore', '-q', '--', name]);
  if (ignored.exitCode === 0) return { state: 'ignored' };
  if (ignored.exitCode === 1) return { state: 'not-ignored' };
  return { state: 'unknown', detail: ignored.stderr || `git check-ignore exited with ${ignored.exitCode}` };
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
