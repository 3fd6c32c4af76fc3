/**
 * The secrets a refresh knows, and the one redactor built from them: every printed line, every
 * piece of evidence and every generated region goes through it.
 */
import path from 'node:path';
import type { Config } from '../probes/config.ts';
import { inlineConfigSecretEntries } from '../secrets/config-secrets.ts';
import { readSecretsFiles, type EnvEntry } from '../secrets/env-files.ts';
import { Redactor } from '../secrets/redactor.ts';

export interface WorkspaceSecrets {
  /** Every KEY=value of the secrets files (the probes read the gateway key from them). */
  entries: EnvEntry[];
  redactor: Redactor;
  /** What a run that uses the secrets should say: missing files, malformed lines, weak secrets. */
  warnings: string[];
}

export async function readWorkspaceSecrets(config: Config): Promise<WorkspaceSecrets> {
  const secrets = await readSecretsFiles(config.secretsFiles);
  // Fed from every secrets file, the key sent in headers (redacted where it is sent whatever its
  // length), and secrets written inline in config.yaml — each with its key and file:line, so that a
  // weak one (too short or too common to redact by substring) is named in a warning, never shown.
  const keyEnvVar = config.gateway.keyEnvVar;
  const where = (file: string, line: number) => `${path.relative(config.rootDir, file).startsWith('..') ? file : path.relative(config.rootDir, file)}:${line}`;
  const redactor = new Redactor([
    ...secrets.entries.map((e) => ({ value: e.value, name: e.key, source: where(e.file, e.line), sent: e.key === keyEnvVar })),
    { value: process.env[keyEnvVar], name: keyEnvVar, source: 'environment', sent: true },
    ...(await inlineConfigSecretEntries(config.gateway.configFile)).map((s) => ({ value: s.value, name: s.name, source: where(s.file, s.line), secret: true })),
  ]);
  const warnings = [
    ...secrets.missing.map((file) => `warning: secrets file ${file} is missing; its values cannot be used or redacted`),
    ...secrets.problems.map((problem) => `warning: ${problem.message}`),
    ...redactor.warnings(),
  ];
  return { entries: secrets.entries, redactor, warnings };
}
