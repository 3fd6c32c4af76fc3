/**
 * The Codex CLI as its three probes (`codex.config`, `codex.list`, `codex.invoke`) present it:
 * its client-matrix row and name, and how a plan names it. Light: no probe code.
 */
import type { ProbeClient } from '../define.ts';
import type { ClientMention } from './adopt.ts';

export const CODEX_CLIENT: ProbeClient = { id: 'codex', name: 'Codex CLI' };

export const CODEX_MENTION: ClientMention = { pattern: /\bcodex\b/i, name: 'Codex' };
