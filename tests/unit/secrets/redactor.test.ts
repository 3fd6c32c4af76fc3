import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../../src/secrets/redactor.ts';
import { parseEnv } from '../../../src/secrets/env-files.ts';

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
    const { inlineConfigSecrets } = await import('../../../src/secrets/config-secrets.ts');
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

// ---------------------------------------------------------------------------------------------
// Issue 13, items 8, 10, 12 and 13: each test fails on the redactor before the fix.
// ---------------------------------------------------------------------------------------------

/** A value as the encoders of other languages and pages write it. */
const encode = {
  hex: (v: string) => Buffer.from(v).toString('hex'),
  HEX: (v: string) => Buffer.from(v).toString('hex').toUpperCase(),
  /** Every character as \uXXXX (a fully escaped value). */
  uEscaped: (v: string) => [...v].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  uEscapedUpper: (v: string) => [...v].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`).join(''),
  /** Go's encoding/json: `<`, `>`, `&` as \u003c, \u003e, \u0026. */
  goJson: (v: string) => JSON.stringify(v).slice(1, -1).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'),
  /** Python's json.dumps (ensure_ascii): every non-ASCII character as \uXXXX. */
  pythonJson: (v: string) => JSON.stringify(v).slice(1, -1).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  htmlHex: (v: string) => [...v].map((c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`).join(''),
  htmlDecimal: (v: string) => [...v].map((c) => `&#${c.codePointAt(0)};`).join(''),
  htmlNamed: (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  splitLines: (v: string) => `${v.slice(0, 7)}\n${v.slice(7)}`,
  splitIndented: (v: string) => `${v.slice(0, 7)}\n        ${v.slice(7)}`,
  splitContinuation: (v: string) => `${v.slice(0, 7)}\\\n${v.slice(7)}`,
  /** The split as a JSON transcript carries it. */
  splitInJson: (v: string) => JSON.stringify(`${v.slice(0, 7)}\n  ${v.slice(7)}`).slice(1, -1),
  urlEncodedAll: (v: string) => [...Buffer.from(v)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
};

describe('redactor: encoded forms (issue 13, item 10)', () => {
  const key = 'Kq7<vX&9é-pL2>mZ';
  const redactor = new Redactor([key]);

  for (const [name, form] of Object.entries(encode)) {
    it(`replaces the value ${name}`, () => {
      const text = `before ${form(key)} after`;
      expect(form(key)).not.toBe(key);
      expect(redactor.redact(text)).toBe(`before ${REDACTED} after`);
    });
  }

  it('replaces the value in base64 at every alignment inside a longer base64 string, standard and URL-safe', () => {
    // `Authorization: Basic base64("root:" + key)`: "root:" is 5 bytes, so the key starts mid-quantum.
    for (const prefix of ['', 'r', 'ro', 'root:', 'user:', 'x:']) {
      for (const alphabet of ['base64', 'base64url'] as const) {
        const encoded = Buffer.from(`${prefix}${key}`).toString(alphabet);
        const out = redactor.redact(`Authorization: Basic ${encoded}`);
        expect(out, `${alphabet} after ${prefix.length} bytes`).toContain(REDACTED);
        // What is left around the redaction is at most the two partial quanta at the edges.
        const left = out.replace('Authorization: Basic ', '').replace(REDACTED, '');
        expect(left.replace(/=/g, '').length, `${alphabet} after ${prefix.length} bytes`).toBeLessThanOrEqual(Math.ceil((prefix.length * 8) / 6) + 3);
      }
    }
  });

  it('replaces the value in a JSON transcript, escaped once or twice (a body inside an exchange)', () => {
    const once = JSON.stringify({ body: `{"token":"${key}"}` });
    const twice = JSON.stringify({ outer: once });
    expect(redactor.redact(once)).not.toContain('9é');
    expect(redactor.redact(twice)).not.toMatch(/9\\*(?:é|u00e9)/);
    expect(redactor.redact(twice)).toContain(REDACTED);
  });

  it('leaves the text around a value and unrelated escapes alone', () => {
    const text = 'a &amp; b \\u0041 %41 line one\n  line two';
    expect(redactor.redact(text)).toBe(text);
    expect(redactor.redact(`x${key}y`)).toBe(`x${REDACTED}y`);
  });
});

describe('redactor: inline credentials it was never told about (issue 13, item 8)', () => {
  const redact = (text: string) => new Redactor().redact(text);

  it('URL userinfo with an empty user', () => {
    expect(redact('url: https://:tok-3f9a2c71e@api.example.com/v1')).toBe(`url: https://:${REDACTED}@api.example.com/v1`);
    expect(redact('redis://:p4ss-w0rd-77@cache:6379/0')).toBe(`redis://:${REDACTED}@cache:6379/0`);
    expect(redact('"REDIS_URL": "redis://:p4ss-w0rd-77@cache:6379"')).toBe(`"REDIS_URL": "redis://:${REDACTED}@cache:6379"`);
  });

  it('password= in a DSN, bare, quoted or as a query parameter', () => {
    expect(redact('host=db password=s3cret dbname=x')).toBe(`host=db password=${REDACTED} dbname=x`);
    expect(redact("host=db password='two words' dbname=x")).toBe(`host=db password='${REDACTED}' dbname=x`);
    expect(redact('postgresql://db/x?sslmode=require&password=s3cret')).toBe(`postgresql://db/x?sslmode=require&password=${REDACTED}`);
    expect(redact('postgresql://user:pw@db/x?sslmode=require')).toBe(`postgresql://user:${REDACTED}@db/x?sslmode=require`);
  });

  it('--api-key / --token / --password and their value, on a command line and as list items', () => {
    const pat = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
    expect(redact(`npx server --api-key ${pat} --token X1 --password Y2 --token=Z3 -v`)).toBe(
      `npx server --api-key ${REDACTED} --token ${REDACTED} --password ${REDACTED} --token=${REDACTED} -v`,
    );
    expect(redact(`args: ["--token", "X1", "--password",\n  "Y2", "--verbose"]`)).toBe(`args: ["--token", "${REDACTED}", "--password",\n  "${REDACTED}", "--verbose"]`);
    expect(redact(`token: ${pat}`)).toBe(`token: ${REDACTED}`);
  });

  it('leaves references and placeholders alone', () => {
    for (const text of ['--token $TOKEN', '--password <password>', 'password=${DB_PASSWORD}', 'curl -H "x-litellm-api-key: Bearer $LITELLM_MASTER_KEY"', '--token --verbose']) {
      expect(redact(text)).toBe(text);
    }
  });
});

describe('inline secrets of config.yaml (issue 13, item 8)', () => {
  it('finds URL passwords with an empty user, DSN passwords and credential flags in args, with path and line', async () => {
    const { inlineConfigSecretEntries, inlineConfigSecrets } = await import('../../../src/secrets/config-secrets.ts');
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'proofbook-config-secrets-'));
    const file = path.join(dir, 'config.yaml');
    const pat = `ghp_${'Zz9Yy8Xx7W'.repeat(4)}`;
    await writeFile(
      file,
      [
        'mcp_servers:',
        '  remote:',
        '    url: https://:tok-empty-user-0005@mcp.example.com/mcp',
        '  cache:',
        '    env: { REDIS_URL: "redis://:redis-pass-0006@cache:6379" }',
        '  db:',
        '    command: npx',
        '    args: ["pg-server", "postgresql://user:dsn-url-pw-0007@db/x?sslmode=require", "host=db password=dsn-kv-pw-0008 dbname=x"]',
        '  gh:',
        '    command: npx',
        '    args:',
        '      - github-server',
        '      - --api-key',
        `      - ${pat}`,
        '      - --token',
        '      - tok-flag-0009',
        '      - --password',
        '      - pw-flag-0010',
        '      - --verbose',
        '  sh:',
        '    command: sh',
        '    args: ["-c", "exec srv --token=tok-inline-0011 --password \'pw-quoted-0012\'"]',
        '  ok:',
        '    args: ["--token", "$TOKEN", "--password", "os.environ/PW"]',
      ].join('\n'),
    );
    const values = await inlineConfigSecrets(file);
    for (const secret of ['tok-empty-user-0005', 'redis-pass-0006', 'dsn-url-pw-0007', 'dsn-kv-pw-0008', pat, 'tok-flag-0009', 'pw-flag-0010', 'tok-inline-0011', 'pw-quoted-0012']) {
      expect(values, secret).toContain(secret);
    }
    expect(values.join(' ')).not.toMatch(/\$TOKEN|os\.environ|--verbose|github-server/);
    const entries = await inlineConfigSecretEntries(file);
    expect(entries.find((e) => e.value === 'pw-flag-0010')).toMatchObject({ name: 'mcp_servers.gh.args[6] (--password)', file, line: 18 });
    expect(entries.find((e) => e.value === 'tok-empty-user-0005')).toMatchObject({ name: 'mcp_servers.remote.url (URL password)', line: 3 });
  });
});

describe('weak secrets (issue 13, item 12)', () => {
  it('do not shred the docs: a common word, a short value or a short number is not replaced inside other text', () => {
    const docs = 'The `mcp_postgres` server (admin only) runs postgres 16; see the litellm docs. Build 12345678, changeme123.';
    expect(new Redactor(['postgres', 'admin', 'litellm', '12345678', 'changeme123']).redact(docs)).toBe(docs);
  });

  it('are reported by key and file:line, never by value', () => {
    const redactor = new Redactor([
      { value: 'postgres', name: 'POSTGRES_PASSWORD', source: 'secrets/mcp-postgres.env:2' },
      { value: 'admin', name: 'ADMIN_PASSWORD', source: 'secrets/app.env:1' },
      { value: 'changeme123', name: 'API_TOKEN', source: 'secrets/app.env:2' },
      { value: '12345678', name: 'DB_PASS', source: 'secrets/app.env:3' },
      { value: 'litellm', name: 'LITELLM_SALT_KEY', source: 'secrets/app.env:4' },
      { value: 'postgres', name: 'POSTGRES_USER', source: 'secrets/mcp-postgres.env:1' }, // a setting, not a secret
      { value: 'true', name: 'DEBUG', source: 'secrets/app.env:5' },
    ]);
    const docs = 'The `mcp_postgres` server (admin only) runs postgres 16; see litellm docs. Build 12345678.';
    expect(redactor.redact(docs)).toBe(docs);
    const warnings = redactor.warnings();
    expect(warnings.map((w) => w.split(' is a weak secret')[0])).toEqual([
      'warning: POSTGRES_PASSWORD (secrets/mcp-postgres.env:2)',
      'warning: ADMIN_PASSWORD (secrets/app.env:1)',
      'warning: API_TOKEN (secrets/app.env:2)',
      'warning: DB_PASS (secrets/app.env:3)',
      'warning: LITELLM_SALT_KEY (secrets/app.env:4)',
    ]);
    for (const warning of warnings) {
      expect(warning).toMatch(/cannot be redacted safely.*Rotate it to a long random value/);
      for (const value of ['postgres', 'admin', 'changeme123', '12345678', 'litellm']) expect(warning).not.toContain(` ${value}`);
    }
    expect(redactor.weakSecrets()[0]).toEqual({ name: 'POSTGRES_PASSWORD', source: 'secrets/mcp-postgres.env:2', reason: 'word' });
  });

  it('follow one documented rule', async () => {
    const { weakness } = await import('../../../src/secrets/weak.ts');
    expect(['abc12', 'postgres', 'Password', 'changeme', 'litellm', 'admin', '12345678', '202612031200', 'p@ssw0rd', 'Administrator', 'your-api-key-here', 'aaaaaaaaaaaa', 'abababababab'].map(weakness)).toEqual([
      'short', 'word', 'word', 'word', 'short', 'short', 'number', 'number', 'common', 'common', 'common', 'repetitive', 'repetitive',
    ]);
    for (const strong of ['sk-abcdef123456', 'pa$$w0rd/with+chars', 'correcthorsebatterystaple', '20481632-ab', 'Kq7<vX&9é-pL2>mZ']) expect(weakness(strong), strong).toBeUndefined();
  });
});

describe('the key Proofbook sends (issue 13, item 13)', () => {
  const gatewayKey = 'k3y9'; // shorter than any substring minimum
  const make = () => new Redactor([{ value: gatewayKey, name: 'LITELLM_MASTER_KEY', source: 'environment', sent: true }]);

  it('is redacted in recorded request headers and as a whole value, whatever its length', () => {
    const redactor = make();
    const transcript = JSON.stringify([{ kind: 'http', requestHeaders: { 'x-litellm-api-key': `Bearer ${gatewayKey}`, authorization: `Bearer ${gatewayKey}`, 'x-mcp-servers': 'mcp_postgres' }, body: `{"key":"${gatewayKey}"}` }], null, 2);
    const out = redactor.redact(transcript);
    expect(out).not.toContain(gatewayKey);
    expect(out).toContain(`"x-litellm-api-key": "Bearer ${REDACTED}"`);
    expect(out).toContain(`"authorization": "Bearer ${REDACTED}"`);
    expect(out).toContain('"x-mcp-servers": "mcp_postgres"');
    expect(redactor.redact(gatewayKey)).toBe(REDACTED);
    expect(redactor.redact(`Bearer ${gatewayKey}`)).toBe(`Bearer ${REDACTED}`);
    expect(redactor.redactValue({ requestHeaders: { 'x-litellm-api-key': `Bearer ${gatewayKey}` }, note: gatewayKey })).toEqual({ requestHeaders: { 'x-litellm-api-key': `Bearer ${REDACTED}` }, note: REDACTED });
  });

  it('does not shred text that merely contains it, and is still named as weak', () => {
    const redactor = make();
    expect(redactor.redact('k3y9s and bk3y9')).toBe('k3y9s and bk3y9');
    expect(redactor.warnings()).toHaveLength(1);
    expect(redactor.warnings()[0]).toMatch(/^warning: LITELLM_MASTER_KEY \(environment\) is a weak secret: its value is shorter than 8 characters.*still redacts it where it sends it/);
  });

  it('credential headers are redacted in any recorded exchange, even with a value the redactor was not told', () => {
    const out = new Redactor().redact(JSON.stringify({ requestHeaders: { Authorization: 'Basic abc', 'x-litellm-api-key': 'Bearer x', cookie: 'sid=1', 'x-mcp-auth': 't' } }));
    expect(JSON.parse(out)).toEqual({ requestHeaders: { Authorization: `Basic ${REDACTED}`, 'x-litellm-api-key': `Bearer ${REDACTED}`, cookie: REDACTED, 'x-mcp-auth': REDACTED } });
    // A reference to a key is not a key.
    const reference = JSON.stringify({ headers: { Authorization: 'Bearer ${input:litellm-key}' } });
    expect(new Redactor().redact(reference)).toBe(reference);
  });
});

describe('redactor speed', () => {
  it('redacts a 4 MB transcript with 40 secrets in one pass per text, not one per secret and form', () => {
    const secrets = Array.from({ length: 40 }, (_, i) => `secret-value-${i}-${(i * 7919).toString(36)}x9Q`);
    const redactor = new Redactor(secrets);
    const text = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ name: `mcp_postgres-tool_${i}`, description: 'Runs SQL & returns rows.\nUse "LIMIT".', i })), null, 2);
    redactor.redact('warm up');
    const started = performance.now();
    const out = redactor.redact(`${text}${secrets[17]}`);
    expect(out.endsWith(REDACTED)).toBe(true);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
