#!/usr/bin/env node
/** `npm run refresh-docs -- [options]`: see src/cli/refresh-docs.ts. */
import { main } from '../src/cli/refresh-docs.ts';

process.exitCode = await main({ argv: process.argv.slice(2) });
