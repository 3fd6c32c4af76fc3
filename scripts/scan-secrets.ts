#!/usr/bin/env -S node --liftoff-only
/** `npm run scan-secrets -- [options] [folders]`: see src/cli/scan-secrets.ts. */
import { main } from '../src/cli/scan-secrets.ts';
import { dropOutputOnClosedPipe } from '../src/cli/closed-pipe.ts';

dropOutputOnClosedPipe(process.stdout, process.stderr);

process.exitCode = await main({ argv: process.argv.slice(2) });
