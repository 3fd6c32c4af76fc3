#!/usr/bin/env node
/**
 * The lab's scripted model server (a test double for the LLM only; see src/lab/scripted-model.ts).
 * `node scripts/scripted-model.ts --port <port> [--host 127.0.0.1]`; the lab runs it as a service.
 */
import { parseArgs } from 'node:util';
import { startScriptedModel } from '../src/lab/scripted-model.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } } });
const { server, url } = await startScriptedModel({
  port: Number(values.port),
  host: values.host,
  log: (line) => console.log(`${new Date().toISOString()} ${line}`),
});
console.log(`scripted model (test double for the LLM) listening at ${url}`);
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
