/**
 * Options of `claude.config` (`probes."claude.config"` in proofbook.config.yaml).
 * Light: imports only zod and other options modules, so loading the config does not load the probe.
 */
import type { z } from 'zod';
import { clientOptions } from '../client-configs/options.ts';

export const ClaudeConfigOptionsSchema = clientOptions('Claude Code', 'lab/clients/claude/.mcp.json');

export type ClaudeConfigOptions = z.infer<typeof ClaudeConfigOptionsSchema>;
