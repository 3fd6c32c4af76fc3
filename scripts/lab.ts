#!/usr/bin/env node
/** `npm run lab:up | lab:down | lab:toolchain [-- --config <file>]`: see src/lab/lab-cli.ts. */
import { main } from '../src/lab/lab-cli.ts';
import { dropOutputOnClosedPipe } from '../src/cli/closed-pipe.ts';

dropOutputOnClosedPipe(process.stdout, process.stderr);

process.exitCode = await main({ argv: process.argv.slice(2) });
