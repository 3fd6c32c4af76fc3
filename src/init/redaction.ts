/**
 * `proofbook init` prints hand-written lines (its diff, its report, `--json`), and runbooks hold
 * pasted keys and DSNs. Everything init prints goes through a redactor built like refresh-docs':
 * every value of the workspace's secrets files (those init found, the compose service's
 * `env_file`s and an existing config's `secretsFiles`), the gateway key from the environment,
 * secrets written inline in LiteLLM's config.yaml, and the generic forms (`sk-…`,
 * `postgresql://u:pw@…`, `Bearer …`) of src/secrets/redactor.ts.
 */
import { inlineConfigSecretEntries } from '../secrets/config-secrets.ts';
import { readSecretsFiles } from '../secrets/env-files.ts';
import { Redactor, type SecretInput } from '../secrets/redactor.ts';

export interface InitSecretsSources {
  /** Secrets files (absolute paths); missing ones are skipped. */
  secretsFiles: string[];
  /** LiteLLM's config.yaml files (absolute), for secrets written inline. */
  litellmConfigs: string[];
  /** Environment variables that hold the gateway key. */
  keyEnvVars: string[];
}

export async function initRedactor(sources: InitSecretsSources): Promise<Redactor> {
  const secrets = await readSecretsFiles([...new Set(sources.secretsFiles)]);
  const inputs: SecretInput[] = secrets.entries.map((entry) => ({ value: entry.value, name: entry.key, source: `${entry.file}:${entry.line}` }));
  for (const name of new Set(sources.keyEnvVars)) inputs.push({ value: process.env[name], name, source: 'environment', sent: true });
  for (const file of new Set(sources.litellmConfigs)) {
    const inline = await inlineConfigSecretEntries(file).catch(() => []);
    inputs.push(...inline.map((s) => ({ value: s.value, name: s.name, source: `${s.file}:${s.line}`, secret: true })));
  }
  return new Redactor(inputs);
}
