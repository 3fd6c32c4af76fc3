/** What `secrets.audit` records as its facts: the shape its probe writes and its renderer reads. */
import type { LocatedFinding } from '../kit/checks.ts';

export type GitState = 'tracked' | 'ignored' | 'not-ignored' | 'not-a-repo' | 'unknown';

export interface AuditedKey {
  key: string;
  line: number;
  empty: boolean;
  /** Keyed fingerprint (first 8 hex of HMAC-SHA256 under the workspace's salt); absent for empty values and values shorter than 8 characters. */
  fingerprint?: string;
}

export interface AuditedFile {
  /** Relative to the workspace when inside it. */
  file: string;
  exists: boolean;
  /** Permission bits in octal, e.g. `0600`. */
  mode?: string;
  git?: GitState;
  /** The `.env.example` it was compared with. */
  example?: string;
  keys: AuditedKey[];
  /** Keys the example or `requiredKeys` lists that the file lacks. */
  missingKeys: string[];
  /** Keys the file sets that its example does not list. */
  extraKeys: string[];
}

export interface AuditedExample {
  file: string;
  keys: string[];
  /** The secrets file it belongs to, if any. */
  secretsFile?: string;
}

export interface SecretsAuditFacts {
  files: AuditedFile[];
  examples: AuditedExample[];
  /** Keys that must be set in at least one secrets file, and where they are. */
  requiredAnywhere: { key: string; present: boolean; file?: string; line?: number }[];
  findings: LocatedFinding[];
}
