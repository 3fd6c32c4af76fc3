/**
 * A gateway started by a deploy script (`docker run --label …`, several commands) is a compose
 * input that is not YAML: the preflight decides script or compose first, and checks the script's
 * labels and rules, never its YAML.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkText } from '../../../src/refresh/preflight.ts';

const SCRIPT = path.join(import.meta.dirname, '..', '..', 'fixtures', 'traefik-labels', 'docker-run-network-connect', 'docker-run.sh');

describe('preflight of a docker run deploy script', () => {
  it('accepts a multi-command script that is not valid YAML', () => {
    expect(checkText(readFileSync(SCRIPT, 'utf8'), 'deploy.sh', 'compose')).toEqual([]);
  });

  it('still checks the router rules in its labels, at file:line:col', () => {
    const text = readFileSync(SCRIPT, 'utf8').replace('Host(\\`litellm.linuxserver.lan\\`)', 'Host(\\`litellm.linuxserver.lan\\`');
    const [problem] = checkText(text, 'deploy.sh', 'compose');
    expect(problem).toMatchObject({ file: 'deploy.sh', line: 12 });
    expect(problem!.message).toMatch(/router "litellm-lan" does not parse/);
  });
});
