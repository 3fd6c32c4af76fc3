/**
 * `general_settings.master_key`: set, from `os.environ/…` (an inline literal fails and is shown
 * only as a fingerprint), and the same variable Proofbook reads the gateway key from
 * (`gateway.keyEnvVar`).
 */
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { fingerprint } from '../kit/checks.ts';
import type { ConfigScan } from './config-scan.ts';
import { MASTER_KEY_PATH } from './values.ts';
import { pairOf } from './yaml-nodes.ts';

export function checkMasterKey(root: YAMLMap, scan: ConfigScan): void {
  const { config, facts, findings } = scan;
  const keyEnvVar = config.gateway.keyEnvVar;
  const general = pairOf(root, 'general_settings');
  const masterPair = isMap(general?.value) ? pairOf(general.value, 'master_key') : undefined;
  const master = masterPair?.value as Node | null | undefined;
  if (!masterPair || master == null || (isScalar(master) && (master.value == null || master.value === ''))) {
    const keyNode = (masterPair?.key ?? general?.key) as Node | undefined;
    findings.warn(
      'master-key.missing',
      `${MASTER_KEY_PATH} is not set; LiteLLM then relies on whatever its environment holds, or runs without a master key. ` +
        `Set \`master_key: os.environ/${keyEnvVar}\` under general_settings`,
      keyNode ? scan.lineOf(keyNode) : undefined,
    );
  } else if (isScalar(master) && typeof master.value === 'string' && /^os\.environ\/[A-Za-z_][A-Za-z0-9_]*$/.test(master.value.trim())) {
    const envVar = master.value.trim().slice('os.environ/'.length);
    facts.masterKey = { source: 'env', envVar, line: scan.lineOf(master) };
    if (envVar !== keyEnvVar) {
      findings.warn(
        'master-key.env-mismatch',
        `${MASTER_KEY_PATH} comes from ${envVar} but Proofbook reads the gateway key from ${keyEnvVar}; ` +
          `set gateway.keyEnvVar: ${envVar} in proofbook.config.yaml (or rename the variable)`,
        scan.lineOf(master),
      );
    }
  } else {
    const literal = isScalar(master) ? String(master.value) : '';
    if (literal) scan.redactor.add(literal);
    facts.masterKey = { source: 'literal', line: scan.lineOf(master), fingerprint: fingerprint(literal, config.rootDir) };
    findings.fail(
      'master-key.literal',
      `${MASTER_KEY_PATH} is an inline literal (fingerprint ${fingerprint(literal, config.rootDir) ?? 'n/a'}), not os.environ/...; the key is then in config.yaml and in git. ` +
        `Put ${keyEnvVar}=<key> in a secrets file, write \`master_key: os.environ/${keyEnvVar}\`, restart LiteLLM and rotate the key`,
      scan.lineOf(master),
    );
  }
}
