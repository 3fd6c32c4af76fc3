import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../src/secrets/redactor.ts';
import { parseEnv } from '../src/secrets/env-files.ts';

describe('redactor', () => {
  const secret = 'pa$$w0rd/with+chars';
  const redactor = new Redactor([secret]);

  it('removes a secret in plain, URL-encoded, base64 and JSON-escaped forms', () => {
    for (const form of [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), JSON.stringify(secret)]) {
      const out = redactor.redact(`before ${form} after`);
      expect(out).not.toContain(secret);
      expect(out).toContain(REDACTED);
    }
  });

  it('removes keys, bearer tokens and URL passwords it was never told about', () => {
    const out = new Redactor().redact('k=sk-abcdefgh12345 auth: Bearer abc.def-123456 db=postgresql://u:hunter22@db/x');
    expect(out).toBe(`k=${REDACTED} auth: Bearer ${REDACTED} db=postgresql://u:${REDACTED}@db/x`);
  });

  it('leaves ordinary text alone', () => {
    expect(new Redactor(['1', 'true']).redact('Bearer tokens are sent; true; 1 tool')).toBe('Bearer tokens are sent; true; 1 tool');
  });
});

describe('.env parsing', () => {
  it('reads keys, quotes and comments, with line numbers', () => {
    const entries = parseEnv('# c\nexport A=1\nB="two words"\nC=x # note\n', 'f.env');
    expect(entries.map((e) => [e.key, e.value, e.line])).toEqual([['A', '1', 2], ['B', 'two words', 3], ['C', 'x', 4]]);
  });

  it('names file and line of a line without =', () => {
    expect(() => parseEnv('A=1\nOOPS\n', 'secrets/litellm.env')).toThrow(/^secrets\/litellm\.env:2: expected KEY=value/);
  });
});

describe('secrets written inline in config.yaml', () => {
  it('are found by key name and in URLs; os.environ references are not secrets', async () => {
    const { inlineConfigSecrets } = await import('../src/secrets/config-secrets.ts');
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-config-secrets-'));
    const file = path.join(dir, 'config.yaml');
    await writeFile(
      file,
      [
        'general_settings:',
        '  master_key: sk-inline-master-0001',
        'mcp_servers:',
        '  remote:',
        '    auth_value: tok-inline-0002',
        '    env: { API_TOKEN: inline-token-0003, MODE: fast, DB: "postgresql://u:inline-pw-0004@db/x" }',
        '  other:',
        '    env: { SECRET_KEY: os.environ/SECRET_KEY }',
      ].join('\n'),
    );
    expect(await inlineConfigSecrets(file)).toEqual(['sk-inline-master-0001', 'tok-inline-0002', 'inline-token-0003', 'inline-pw-0004']);
  });
});
