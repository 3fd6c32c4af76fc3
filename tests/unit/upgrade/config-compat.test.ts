/**
 * configCompatibility on a team config in a messy real-world shape (CRLF, comments, an anchor
 * with a `<<` merge, os.environ/ values, names the team chose) against the names of two stand-in
 * LiteLLM packages (tests/fixtures/config-compat/litellm-{1.0.0,2.0.0}), read by the real
 * sourceNames (with their companion package litellm_enterprise). What changed between the two is in the fixtures' source, not in the test.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/formats/input-error.ts';
import { configCompatibility, NamePool, parseLitellmConfig, type VersionNames } from '../../../src/upgrade/config-compat.ts';
import { litellmPackageDirs, sourceNames } from '../../../src/upgrade/litellm-source.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/config-compat');

let from: VersionNames;
let to: VersionNames;
beforeAll(async () => {
  from = { version: '1.0.0', names: await sourceNames(await litellmPackageDirs(path.join(FIXTURES, 'litellm-1.0.0'))) };
  to = { version: '2.0.0', names: await sourceNames(await litellmPackageDirs(path.join(FIXTURES, 'litellm-2.0.0'))) };
});

const check = (text: string) => configCompatibility({ configFile: 'config.yaml', yaml: parseLitellmConfig(text), from, to });

describe('configCompatibility', () => {
  it('finds the renamed, dropped, typo and new keys of the team config, each at its key, with candidates', async () => {
    const text = await readFile(path.join(FIXTURES, 'config.yaml'), 'utf8');
    expect(text).toContain('\r\n'); // the fixture kept its CRLF line endings
    const dropped = (line: number, column: number, key: string, perhaps = '') => ({
      severity: 'warn',
      code: 'config.key.dropped',
      file: 'config.yaml',
      line,
      column,
      message: `LiteLLM 2.0.0 never names \`${key}\` (1.0.0 does): renamed, moved or dropped — check its release notes${perhaps && `; perhaps \`${perhaps}\``}`,
    });
    const unknown = (line: number, column: number, key: string, perhaps: string) => ({
      severity: 'info',
      code: 'config.key.unknown',
      file: 'config.yaml',
      line,
      column,
      message: `neither LiteLLM 1.0.0 nor 2.0.0 names \`${key}\`: LiteLLM ignores it already — a typo? Perhaps \`${perhaps}\``,
    });
    expect(check(text)).toEqual([
      // Written once in the anchor, merged into the second model: one finding, where it is written.
      // rpm_limit is new in 2.0.0 but too far from a three-letter key to offer.
      dropped(10, 7, 'model_list[0].litellm_params.rpm'),
      unknown(23, 3, 'litellm_settings.drop_parms', 'litellm_settings.drop_params'),
      dropped(25, 3, 'litellm_settings.openai_image_generation_models'),
      unknown(27, 1, 'general_setting', 'general_settings'),
      dropped(32, 3, 'general_settings.proxy_admin_email'),
      {
        severity: 'info',
        code: 'config.key.new',
        file: 'config.yaml',
        line: 33,
        column: 3,
        message: 'LiteLLM 1.0.0 never names `general_settings.store_prompts_in_spend_logs`, 2.0.0 does: ignored today, it takes effect after the upgrade',
      },
      dropped(37, 3, 'router_settings.allowed_fail', 'router_settings.allowed_fails'), // an edit away
      dropped(49, 5, 'mcp_servers.github.spec_path', 'mcp_servers.github.specPath'), // the same words
      // Not findings: `proxy_admin_email` as a header name (line 13) and `spec_path` as an env var
      // (line 59) are the team's names; so are the model, alias, server and env var names.
    ]);
  });

  it('says nothing when both versions name every key', () => {
    const text = 'general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\nmcp_servers:\n  db:\n    transport: stdio\n';
    expect(check(text)).toEqual([]);
    expect(check('')).toEqual([]);
    expect(check('# only a comment\n')).toEqual([]);
  });

  it('checks nested settings but not what lies below a map of the team’s names', () => {
    const text = [
      'general_settings:',
      '  pass_through_endpoints:',
      '    - path: /v1/x',
      '      proxy_admin_email: 1', // LiteLLM's key in a list of settings: checked
      '      headers:',
      '        proxy_admin_email: 2', // a header name: not checked
      'router_settings:',
      '  model_group_alias:',
      '    proxy_admin_email: gpt-4o', // a model name: not checked
      '',
    ].join('\n');
    expect(check(text).map((f) => [f.code, f.line, f.column, f.message.split(':')[0]])).toEqual([
      ['config.key.unknown', 2, 3, 'neither LiteLLM 1.0.0 nor 2.0.0 names `general_settings.pass_through_endpoints`'],
      ['config.key.unknown', 3, 7, 'neither LiteLLM 1.0.0 nor 2.0.0 names `general_settings.pass_through_endpoints[0].path`'],
      ['config.key.dropped', 4, 7, 'LiteLLM 2.0.0 never names `general_settings.pass_through_endpoints[0].proxy_admin_email` (1.0.0 does)'],
      ['config.key.unknown', 5, 7, 'neither LiteLLM 1.0.0 nor 2.0.0 names `general_settings.pass_through_endpoints[0].headers`'],
    ]);
  });

  it('walks an alias that contains itself once, and an alias bomb in linear time', () => {
    expect(check('general_settings: &loop\n  proxy_admin_email: x\n  again: *loop\n').map((f) => [f.code, f.line])).toEqual([
      ['config.key.dropped', 2],
      ['config.key.unknown', 3],
    ]);
    const levels = Array.from({ length: 30 }, (_, i) => `  l${i + 1}: &a${i + 1} [*a${i}, *a${i}, *a${i}, *a${i}]`);
    const bomb = ['general_settings:', '  l0: &a0 {proxy_admin_email: x}', ...levels, ''].join('\n');
    const started = performance.now();
    const findings = check(bomb);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(findings.filter((f) => f.code === 'config.key.dropped').map((f) => f.line)).toEqual([2]);
  });

  it('malformed YAML is an InputError at file:line:col that quotes nothing', () => {
    const thrown = (text: string) => {
      try {
        check(text);
      } catch (error) {
        return error;
      }
      throw new Error('no error');
    };
    const unclosed = thrown('general_settings:\r\n  master_key: "sk-secret-value\r\n  other: 1\r\n');
    expect(unclosed).toBeInstanceOf(InputError);
    expect(unclosed).toMatchObject({ file: 'config.yaml', line: 2, column: 15 });
    expect((unclosed as Error).message).toMatch(/^config\.yaml:2:15: invalid YAML: a double-quoted string starts here and is never closed — fix the syntax/);
    expect((unclosed as Error).message).not.toContain('sk-secret');

    const flow = thrown('model_list: [\n  {model_name: a\n');
    expect(flow).toBeInstanceOf(InputError);
    expect((flow as InputError).line).toBeGreaterThan(0);

    const list = thrown('\n- model_name: a\n');
    expect(list).toBeInstanceOf(InputError);
    expect((list as Error).message).toBe(
      'config.yaml:2:1: the top level is not a mapping (`key: value`) — LiteLLM expects top-level keys such as `model_list` and `general_settings`',
    );
  });
});

describe('NamePool.closeNames', () => {
  const pool = new NamePool(['masterKey', 'key_master', 'MASTER_KEY', 'master_keys', 'master_kin', 'drop_params', 'rpm_limit', 'rpn', 'zz']);

  it('offers the same words in another order or case first, then one or two edits away, at most three', () => {
    expect(pool.closeNames('master_key')).toEqual(['MASTER_KEY', 'key_master', 'masterKey']);
    expect(new NamePool(['master_keys', 'master_kin', 'master_k']).closeNames('master_key')).toEqual(['master_keys', 'master_k', 'master_kin']);
  });

  it('offers no edit of a short key (three letters say too little)', () => {
    expect(pool.closeNames('rpm')).toEqual([]);
    expect(pool.closeNames('drop')).toEqual([]);
    expect(pool.closeNames('drop_parms')).toEqual(['drop_params']);
  });
});
