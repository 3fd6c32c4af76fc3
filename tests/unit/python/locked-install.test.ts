/**
 * What `ensureLocked` tells the user when pip refuses a lock, and which `pip check` lines it
 * accepts. The pip outputs are real, captured from pip 23.2 (Python 3.11's venv) on a lock with a
 * wrong hash and one naming a package PyPI does not have; no network here.
 */
import { describe, expect, it } from 'vitest';
import { installFailure, pipCheckProblems } from '../../../src/python/locked-install.ts';
import { OPENWEBUI_LEFT_OUT } from '../../../src/lab/toolchain.ts';

const HASH_MISMATCH = `ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.
    aiocache==0.12.3 from https://files.pythonhosted.org/packages/37/d7/15d67e05b235d1ed8c3ce61688fe4d84130e72af1657acadfaac3479f4cf/aiocache-0.12.3-py2.py3-none-any.whl (from -r /tmp/bad.txt (line 1)):
        Expected sha256 0000000000000000000000000000000000000000000000000000000000000000
             Got        889086fc24710f431937b87ad3720a289f7fc31c4fd8b68e9f918b9bacd8270d
`;
const NO_WHEEL = `ERROR: Could not find a version that satisfies the requirement no-such-package-proofbook==9.9.9 (from versions: none)
ERROR: No matching distribution found for no-such-package-proofbook==9.9.9
`;

describe('locked install', () => {
  it('names the package whose hash does not match, with both hashes', () => {
    const message = installFailure('/repo/lab/requirements/open-webui-0.12.4.txt', HASH_MISMATCH);
    expect(message).toMatch(/^pip could not install open-webui-0\.12\.4\.txt/);
    expect(message).toContain('aiocache==0.12.3 from https://files.pythonhosted.org/');
    expect(message).toContain('Expected sha256 0000');
    expect(message).toContain('Got        889086fc');
    expect(message).toMatch(/re-locked: see the header of the \.in file/);
  });

  it('names the package without a wheel for this Python', () => {
    expect(installFailure('/x/lock.txt', NO_WHEEL)).toContain('No matching distribution found for no-such-package-proofbook==9.9.9');
  });

  it('accepts exactly the requirements a lock leaves out on purpose as missing', () => {
    const leftOut = ['open-webui 0.12.4 requires accelerate, which is not installed.', 'open-webui 0.12.4 requires sentence-transformers, which is not installed.'];
    expect(pipCheckProblems(leftOut.join('\n'), OPENWEBUI_LEFT_OUT)).toEqual([]);
    const other = 'open-webui 0.12.4 requires fastapi, which is not installed.';
    expect(pipCheckProblems([...leftOut, other].join('\n'), OPENWEBUI_LEFT_OUT)).toEqual([other]);
    // A version conflict on a left-out name is still a problem; nothing is accepted without a list.
    const conflict = 'open-webui 0.12.4 has requirement accelerate==1.13.0, but you have accelerate 0.1.0.';
    expect(pipCheckProblems(conflict, OPENWEBUI_LEFT_OUT)).toEqual([conflict]);
    expect(pipCheckProblems(leftOut[0]!, [])).toEqual([leftOut[0]]);
    expect(pipCheckProblems('No broken requirements found.\n', [])).toEqual([]);
  });
});
