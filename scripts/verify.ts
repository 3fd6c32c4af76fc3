#!/usr/bin/env -S node --liftoff-only
/** `npm run verify -- [options]`: see src/cli/verify.ts. */
import { main } from '../src/cli/verify.ts';
import { dropOutputOnClosedPipe } from '../src/cli/closed-pipe.ts';

dropOutputOnClosedPipe(process.stdout, process.stderr);

process.exitCode = await main({ argv: process.argv.slice(2) });
