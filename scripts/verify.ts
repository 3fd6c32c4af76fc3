#!/usr/bin/env node
/** `npm run verify -- [options]`: see src/cli/verify.ts. */
import { main } from '../src/cli/verify.ts';

process.exitCode = await main({ argv: process.argv.slice(2) });
