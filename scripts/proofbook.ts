#!/usr/bin/env -S node --liftoff-only
/** `npm run proofbook -- <command> [options]`: see src/cli/proofbook.ts. */
import { main } from '../src/cli/proofbook.ts';
import { dropOutputOnClosedPipe } from '../src/cli/closed-pipe.ts';

dropOutputOnClosedPipe(process.stdout, process.stderr);

process.exitCode = await main({ argv: process.argv.slice(2) });
