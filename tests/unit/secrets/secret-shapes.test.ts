/**
 * One rule for "this name holds a secret" (src/secrets/secret-shapes.ts), shared by the redactor's
 * weak-secret warnings, the inline-secret scan of config.yaml and the probes' `looksSecret`; and
 * one deep redactor (the runner scrubs a probe's outcome with the redactor's own walk).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksSecret } from '../../../src/probes/kit/checks.ts';
import { inlineConfigSecretEntries } from '../../../src/secrets/config-secrets.ts';
import { REDACTED, Redactor } from '../../../src/secrets/redactor.ts';
import { nameLooksSecret } from '../../../src/secrets/secret-shapes.ts';

describe('nameLooksSecret', () => {
  it('is true when the last word of the name is a secret word, in any spelling of the name', () => {
    for (const name of ['POSTGRES_PASSWORD', 'apiKey', 'x-api-key', 'general_settings.master_key', 'mcp_servers.x.auth_value', 'GITHUB_PAT', 'authorization', 'credentials', 'DB_PASSWD', 'pwd', 'BASIC_AUTH', 'accessToken']) {
      expect(nameLooksSecret(name), name).toBe(true);
    }
  });

  it('is false for a name that only mentions a secret word, or none', () => {
    for (const name of ['TOKEN_URL', 'auth_type', 'PASSWORD_FILE', 'DEBUG', 'POSTGRES_USER', 'MONKEY', 'keycloak', '']) {
      expect(nameLooksSecret(name), name).toBe(false);
    }
  });

  it('is the rule of looksSecret and of the config.yaml scan alike', async () => {
    expect(looksSecret('auth_value', 'abcdefgh')).toBe(true);
    expect(looksSecret('auth_type', 'bearer_token')).toBe(false);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-secret-shapes-'));
    try {
      const file = path.join(dir, 'config.yaml');
      await writeFile(file, 'mcp_servers:\n  a:\n    auth_type: bearer_token\n    auth_value: s3cr3t-value-123\n    env:\n      DB_PASS: other-secret-456\n');
      expect((await inlineConfigSecretEntries(file)).map((s) => s.value)).toEqual(['s3cr3t-value-123', 'other-secret-456']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('redactValue', () => {
  it('is the one deep walk (the runner scrubs outcomes with it): strings, keys and credential headers alike', () => {
    const secret = 'q8Zr4kT1vX0pLm2N';
    const redactor = new Redactor([secret]);
    const value = { note: `key ${secret}`, [secret]: 1, headers: { authorization: 'Basic short' }, list: [secret] };
    expect(redactor.redactValue(value)).toEqual({ note: `key ${REDACTED}`, [REDACTED]: 1, headers: { authorization: `Basic ${REDACTED}` }, list: [REDACTED] });
  });
});
