#!/usr/bin/env node
/** `npm run docs:generate [-- --check]`: see src/cli/generate-docs.ts. */
import { main } from '../src/cli/generate-docs.ts';
import { dropOutputOnClosedPipe } from '../src/cli/closed-pipe.ts';

dropOutputOnClosedPipe(process.stdout, process.stderr);

process.exitCode = await main({ argv: process.argv.slice(2) });
