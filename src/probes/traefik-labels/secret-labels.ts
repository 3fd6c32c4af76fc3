/**
 * Secrets in labels: wrong wherever they are (anyone who can read the file, `docker inspect` or
 * the Traefik API sees them), so every label is checked, and their values never leave the probe.
 */
import type { Label } from '../../gateway/label-source.ts';
import { REDACTED, type Redactor } from '../../secrets/redactor.ts';
import { isCredentialHeader } from '../../secrets/secret-shapes.ts';
import type { LabelFindings } from './label-findings.ts';

// Header names and label fields whose values are credentials.
const SECRET_FIELD = /passw(or)?d|secret|token|api[-_]?key|credential/i;
const INTERPOLATION = /\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

type SecretKind = 'users' | 'header' | 'field' | 'value';

/** A finding for every label that holds a secret; returns the labels with those values redacted. */
export function checkSecretLabels(labels: Label[], redactor: Redactor, findings: LabelFindings, file: string): Label[] {
  const redactedLabels: Label[] = [];
  for (const label of labels) {
    const kind = secretKind(label, redactor);
    if (!kind) {
      redactedLabels.push(label);
      continue;
    }
    const interpolatedOnly =
      kind !== 'value' && label.value.includes('$') && label.value.replace(INTERPOLATION, '').replace(/^\s*(bearer|basic)\s*$/i, '').trim() === '';
    redactedLabels.push({ ...label, value: interpolatedOnly ? label.value : kind === 'value' ? redactor.redact(label.value) : REDACTED });
    findings.fail(interpolatedOnly ? 'label.secret-interpolated' : 'label.secret', secretMessage(label, kind, interpolatedOnly, file), label.line);
  }
  return redactedLabels;
}

/** Which kind of secret a label holds, if any. */
function secretKind(label: Label, redactor: Redactor): SecretKind | undefined {
  const value = label.value.trim();
  if (!value) return undefined;
  const parts = label.key.toLowerCase().split('.');
  const isTraefik = parts[0] === 'traefik';
  const field = isTraefik ? parts.slice(4) : parts;
  const fieldText = field.join('.');
  if (isTraefik && /^(basicauth|digestauth)\.users$/.test(fieldText)) return 'users';
  if (isTraefik && /^headers\.custom(request|response)headers\./.test(fieldText) && isCredentialHeader(field.slice(2).join('.'))) return 'header';
  if (field.some((segment) => SECRET_FIELD.test(segment)) && !/^headers\./.test(fieldText)) return 'field';
  if (redactor.redact(label.value) !== label.value) return 'value';
  return undefined;
}

function secretMessage(label: Label, kind: SecretKind, interpolatedOnly: boolean, file: string): string {
  const advice =
    kind === 'users'
      ? `use ${label.key.replace(/\.users$/i, '.usersfile')}=<mounted file> instead`
      : kind === 'header'
        ? 'do not inject credentials in Traefik: let each client send its own key (LiteLLM checks it)'
        : 'move the value out of the label (a mounted file or the service\'s own secret)';
  if (interpolatedOnly) {
    return (
      `label ${label.key} puts ${label.value.match(INTERPOLATION)!.join(', ')} into a Traefik label: the resolved secret is stored in the ` +
      `container's labels, visible to docker inspect and the Traefik API; ${advice}`
    );
  }
  return (
    `label ${label.key} holds a secret (value redacted): anyone who can read ${file}, docker inspect or the Traefik API sees it; ` +
    `${advice}, and rotate the secret`
  );
}
