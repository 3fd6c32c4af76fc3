/**
 * The committed `.env.example` files of `secrets.audit`: which ones the `examples` option names,
 * reading each once, and what a secrets file must agree on with its example (the keys it lists,
 * no key it lacks, never the real value).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EnvEntry } from '../../secrets/env-files.ts';
import { fingerprint, looksSecret, MIN_FINGERPRINT_LENGTH, now } from '../kit/checks.ts';
import { readEnvFile, type Audit } from './audit.ts';
import type { AuditedExample, AuditedFile } from './facts.ts';

export interface Example {
  entries: EnvEntry[];
  fact: AuditedExample;
}

/** The examples the `examples` option names (files, or every *.example in a folder), by basename. */
export async function configuredExamples(audit: Audit): Promise<Map<string, string>> {
  const configured = new Map<string, string>(); // example basename → absolute path
  for (const entry of audit.options.examples) {
    const target = path.resolve(audit.config.rootDir, entry);
    const info = await stat(target).catch(() => undefined);
    if (!info) {
      audit.findings.fail(
        'example.not-found',
        `configured example does not exist; fix probes."secrets.audit".examples in proofbook.config.yaml (a .env.example file or a folder of them)`,
        { file: audit.show(target) },
      );
    } else if (info.isDirectory()) {
      for (const name of (await readdir(target)).sort()) if (name.endsWith('.example')) configured.set(name, path.join(target, name));
    } else if (target.endsWith('.example')) {
      configured.set(path.basename(target), target);
    } else {
      audit.findings.fail(
        'example.not-example',
        `configured example is not a *.example file; list the .env.example files (or their folder) in probes."secrets.audit".examples`,
        { file: audit.show(target) },
      );
    }
  }
  return configured;
}

/** Reads each example once, recording it in the facts and the transcript the first time. */
export class Examples {
  private readonly read = new Map<string, Example>();
  private readonly audit: Audit;

  constructor(audit: Audit) {
    this.audit = audit;
  }

  async get(file: string): Promise<Example | undefined> {
    const known = this.read.get(file);
    if (known) return known;
    const { audit } = this;
    const shown = audit.show(file);
    const entries = await readEnvFile(audit, file, shown, {
      code: 'example.unreadable',
      message: (reason) => `example cannot be read (${reason}); fix its permissions or probes."secrets.audit".examples`,
    });
    if (!entries) return undefined;
    // Example values are placeholders and never printed; they are not fed to the redactor.
    const fact: AuditedExample = { file: shown, keys: [...new Set(entries.map((e) => e.key))] };
    audit.facts.examples.push(fact);
    audit.transcript.push({ at: now(), kind: 'file', file: shown, role: 'example', keys: fact.keys });
    const example = { entries, fact };
    this.read.set(file, example);
    return example;
  }
}

/**
 * A secrets file against its example: a key the example lists but `required` left out is still
 * missing, a key the example lacks is reported, and the example must not hold a real value.
 */
export function compareWithExample(audit: Audit, fact: AuditedFile, byKey: Map<string, EnvEntry[]>, example: Example, required: string[], source: (key: string) => string): void {
  const { findings, options } = audit;
  const exampleKeys = example.fact.keys;
  for (const key of exampleKeys) {
    if (byKey.has(key) || required.includes(key) || options.optionalKeys.includes(key)) continue;
    // The example lists it but requiredKeys replaced the example's list: still say it is absent.
    fact.missingKeys.push(key);
    findings.fail('key.missing', `${key} is missing (${source(key)}). Add it here, or remove it from the example if it is no longer used`, { file: fact.file });
  }
  for (const [key, list] of byKey) {
    if (exampleKeys.includes(key)) continue;
    fact.extraKeys.push(key);
    findings.warn(
      'key.not-in-example',
      `${key} is not in ${example.fact.file}; add it there with a placeholder value so the next person knows it is needed`,
      { file: fact.file, line: list[0]!.line },
    );
  }
  for (const exampleEntry of example.entries) {
    const real = byKey.get(exampleEntry.key)?.at(-1);
    if (!real || real.value.length < MIN_FINGERPRINT_LENGTH || real.value !== exampleEntry.value) continue;
    const secret = looksSecret(exampleEntry.key, real.value);
    findings.add(
      secret ? 'fail' : 'warn',
      'example.real-value',
      `the example holds the real value of ${exampleEntry.key} (same as ${fact.file}:${real.line}, fingerprint ${fingerprint(real.value, audit.config.rootDir)}). ` +
        (secret
          ? 'Replace it with a placeholder and rotate the secret: the example is meant to be committed'
          : `If ${exampleEntry.key} is secret, replace it with a placeholder and rotate it: the example is meant to be committed`),
      { file: example.fact.file, line: exampleEntry.line },
    );
  }
}
