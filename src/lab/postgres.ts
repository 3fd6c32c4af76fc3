/**
 * The lab's PostgreSQL: Debian's server binaries, a throwaway data dir, a free loopback
 * port, a read-only role for `mcp_postgres` and a small seeded schema.
 */
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import type { ServiceManager, ServiceSpec } from './processes.ts';

/** Finds Debian's server binaries (`/usr/lib/postgresql/<major>/bin`), newest first, else PATH. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((d) => existsSync(path.join(root, d, 'bin', 'postgres')));
  majors.sort((a, b) => Number(b) - Number(a));
  return majors[0] ? path.join(root, majors[0], 'bin') : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** initdb refuses to run as root; as root the lab runs PostgreSQL as the `postgres` user. */
function asServiceUser(command: string, args: string[]): { command: string; args: string[] } {
  if (process.getuid?.() !== 0) return { command, args };
  return { command: 'setpriv', args: ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args] };
}

async function postgresUserIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { stdout } = await execa('id', ['-u', 'postgres'], { reject: false });
  const { stdout: gid } = await execa('id', ['-g', 'postgres'], { reject: false });
  if (!stdout) {
    throw new Error('PostgreSQL cannot run as root and there is no `postgres` user: install Debian\'s postgresql package.');
  }
  return { uid: Number(stdout), gid: Number(gid) };
}

/**
 * The data dir lives in the system temp folder, not in the workspace: PostgreSQL runs as the
 * `postgres` user when we are root, and a workspace inside a private folder (a CI clone in a
 * 0700 temp dir, a home directory) is not reachable for that user. Its path is recorded in
 * `<runtimeDir>/pgdata.path` so `removePostgresData` can delete it after the server stops.
 */
export async function createPostgresDataDir(runtimeDir: string): Promise<string> {
  await removePostgresData(runtimeDir);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-pg-'));
  await mkdir(runtimeDir, { recursive: true });
  await writeFile(path.join(runtimeDir, 'pgdata.path'), dir);
  return dir;
}

export async function removePostgresData(runtimeDir: string): Promise<void> {
  const recorded = await readFile(path.join(runtimeDir, 'pgdata.path'), 'utf8').catch(() => '');
  if (recorded && path.basename(recorded).startsWith('proofbook-pg-')) await rm(recorded, { recursive: true, force: true });
  await rm(path.join(runtimeDir, 'pgdata.path'), { force: true });
}

export async function startPostgres(options: {
  services: ServiceManager;
  /** From createPostgresDataDir: a folder the postgres user can reach. */
  dataDir: string;
  port: number;
  adminPassword: string;
  readerPassword: string;
  seedFile: string;
}): Promise<void> {
  const binDir = postgresBinDir();
  if (!binDir) {
    throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: run `apt-get install -y postgresql`.');
  }
  const { port } = options;
  // initdb wants an empty data dir it can create; the parent (ours) holds the password file.
  const dataDir = path.join(options.dataDir, 'data');
  const pwFile = path.join(options.dataDir, 'pg-admin-password');
  await mkdir(dataDir, { mode: 0o700 });
  await writeFile(pwFile, options.adminPassword, { mode: 0o600 });
  const ids = await postgresUserIds();
  if (ids) {
    for (const entry of [options.dataDir, dataDir, pwFile]) await chown(entry, ids.uid, ids.gid);
  }

  const initdb = asServiceUser(path.join(binDir, 'initdb'), [
    '-D', dataDir, '-U', 'postgres', '--pwfile', pwFile, '--auth-local=scram-sha-256', '--auth-host=scram-sha-256',
    '--no-sync', '-E', 'UTF8', '--locale=C',
  ]);
  await execa(initdb.command, initdb.args);
  await rm(pwFile, { force: true });

  const server = asServiceUser(path.join(binDir, 'postgres'), [
    '-D', dataDir, '-p', String(port), '-k', dataDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off',
  ]);
  const spec: ServiceSpec = { name: 'postgres', ...server, processName: 'postgres', stopSignal: 'SIGINT' };
  await options.services.start(spec);

  const admin = { PGPASSWORD: options.adminPassword, PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: 'postgres' };
  await waitForPostgres(binDir, admin, options.services.logFile('postgres'));
  const psql = (database: string, sql: string) =>
    execa(path.join(binDir, 'psql'), ['-v', 'ON_ERROR_STOP=1', '-q', '-d', database, '-c', sql], { env: admin });
  // Statements carrying a password go through stdin: argv is visible to every user.
  await execa(path.join(binDir, 'psql'), ['-v', 'ON_ERROR_STOP=1', '-q', '-d', 'postgres'], {
    env: admin,
    input: `CREATE ROLE mcp_reader LOGIN PASSWORD '${options.readerPassword}';\nCREATE DATABASE mcp OWNER postgres;\n`,
  });
  await psql('mcp', await readFile(options.seedFile, 'utf8'));
  await psql('mcp', 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO mcp_reader;');
}

async function waitForPostgres(binDir: string, env: Record<string, string>, logFile: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { exitCode } = await execa(path.join(binDir, 'pg_isready'), ['-q'], { env, reject: false });
    if (exitCode === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`PostgreSQL did not accept connections within 30 s; see ${logFile}`);
}
