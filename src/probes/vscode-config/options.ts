/**
 * Options of `vscode.config` (`probes."vscode.config"` in proofbook.config.yaml).
 * Light: imports only zod and other options modules, so loading the config does not load the probe.
 */
import type { z } from 'zod';
import { clientOptions } from '../client-configs/options.ts';

export const VscodeConfigOptionsSchema = clientOptions('VS Code', 'lab/clients/vscode/.vscode/mcp.json');

export type VscodeConfigOptions = z.infer<typeof VscodeConfigOptionsSchema>;
