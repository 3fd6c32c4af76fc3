/** The secrets files `init` takes from the compose service's `env_file`: absolute paths stay absolute. */
import { describe, expect, it } from 'vitest';
import { composeEnvFiles } from '../../../src/init/write-config.ts';

const compose = (envFile: string) => `services:\n  litellm:\n    image: ghcr.io/berriai/litellm:main-v1.77.1\n    env_file:\n${envFile}`;

describe('composeEnvFiles', () => {
  it('keeps an absolute env_file as written instead of joining it onto the compose folder', () => {
    expect(composeEnvFiles(compose('      - /home/ops/secrets/litellm.env\n'), 'deploy/docker-compose.yml', 'litellm')).toEqual(['/home/ops/secrets/litellm.env']);
  });

  it('resolves relative ones from the compose folder, also outside the workspace, and the long form', () => {
    const text = compose('      - ./litellm.env\n      - ../../shared/mcp.env\n      - path: secrets/postgres.env\n        required: false\n');
    expect(composeEnvFiles(text, 'deploy/docker-compose.yml', 'litellm')).toEqual(['deploy/litellm.env', '../shared/mcp.env', 'deploy/secrets/postgres.env']);
  });
});
