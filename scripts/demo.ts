#!/usr/bin/env -S node --liftoff-only
/** `npm run demo`: see src/lab/demo.ts. */
import { main } from '../src/lab/demo.ts';
import { dropOutputOnClosedPipe } from '../src/cli/closed-pipe.ts';

dropOutputOnClosedPipe(process.stdout, process.stderr);

process.exitCode = await main({ argv: process.argv.slice(2) });
