#!/usr/bin/env node
/** `npm run scan-secrets -- [options] [folders]`: see src/cli/scan-secrets.ts. */
import { main } from '../src/cli/scan-secrets.ts';

process.exitCode = await main({ argv: process.argv.slice(2) });
