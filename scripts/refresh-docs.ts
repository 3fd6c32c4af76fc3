#!/usr/bin/env -S node --liftoff-only
/** `npm run refresh-docs -- [options]`: see src/cli/refresh-docs.ts. */
import { main } from '../src/cli/refresh-docs.ts';
import { dropOutputOnClosedPipe } from '../src/cli/closed-pipe.ts';

dropOutputOnClosedPipe(process.stdout, process.stderr);

process.exitCode = await main({ argv: process.argv.slice(2) });
