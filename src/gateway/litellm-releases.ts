/**
 * LiteLLM releases Proofbook knows by number: the one its lab runs by default, and the ones it
 * refuses to install whatever a config or command line asks for. The config stage (the
 * `lab.litellmVersion` field) and the lab's toolchain both read this one list.
 */

/** The LiteLLM release the lab runs unless `lab.litellmVersion` says otherwise. */
export const DEFAULT_LITELLM_VERSION = '1.77.1';

/** An exact release number: a lock file is named after it, so nothing looser (no ranges, no `latest`). */
export const LITELLM_VERSION_PATTERN = /^\d+\.\d+\.\d+$/;

/**
 * Releases that must never be installed. 1.82.7 and 1.82.8 were published to PyPI on 2026-03-24
 * with stolen publishing credentials and carry a credential-stealing payload: a `.pth` file, which
 * the Python interpreter runs at every start, so merely installing them into a venv is enough.
 */
export const COMPROMISED_LITELLM_VERSIONS: readonly string[] = ['1.82.7', '1.82.8'];

/** Why `version` is refused, with what to do instead; undefined for a release that may be installed. */
export function compromisedLitellmReason(version: string): string | undefined {
  if (!COMPROMISED_LITELLM_VERSIONS.includes(version)) return undefined;
  return (
    `LiteLLM ${version} is refused: releases ${COMPROMISED_LITELLM_VERSIONS.join(' and ')} were published to PyPI on 2026-03-24 ` +
    'with a credential-stealing payload (a .pth file that runs at every Python interpreter start, uploaded with stolen publishing ' +
    `credentials), so Proofbook never downloads or installs them. Pick another release (the lab's default is ${DEFAULT_LITELLM_VERSION}); ` +
    'if one of them was ever installed on a machine, treat every credential it could read as stolen and rotate it.'
  );
}
