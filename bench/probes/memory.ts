/**
 * bench/probes, part 3: peak RSS of recording mcp.catalog (in a child, ./record-child.ts) against
 * fault doubles of the gateway (tests/helpers/fault-gateway.ts), beside the floor (a well-behaved double) and
 * the target. The old figures are this bench's at db75222, before bounded recording (issue 17
 * reported 642 MB and 515 MB in 30 s on its machine).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFaultGateway, type Fault } from '../../tests/helpers/fault-gateway.ts';

const TARGET_MB = 150;
const CHILD = path.join(import.meta.dirname, 'record-child.ts');
/**
 * The Node flags Proofbook's own scripts run with (package.json: `"refresh-docs": "node
 * --liftoff-only …"`, as every user runs a refresh), so the child loads its code as a refresh does.
 */
export const NODE_FLAGS: string[] = (JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['refresh-docs']!
  .split(/\s+/)
  .filter((word) => word.startsWith('--'));

interface Row {
  label: string;
  fault: Fault;
  old?: string;
}

const ROWS: Row[] = [
  { label: 'well-behaved double (the floor)', fault: { kind: 'huge', mb: 0 } },
  { label: '50 MB tool description (JSON)', fault: { kind: 'huge', mb: 50 }, old: '355 MB' },
  { label: '50 MB tool description (one SSE event)', fault: { kind: 'huge', mb: 50, sse: true }, old: '347 MB' },
  { label: '200 MB tool description (JSON)', fault: { kind: 'huge', mb: 200 } },
  { label: 'endless notification stream', fault: { kind: 'endless' }, old: '262 MB, 29.5 s (its deadline)' },
];

interface ChildReport {
  peakRssMb: number;
  status: string;
  summary: string;
  durationMs: number;
  transcriptBytes: number;
}

/** One recording in a fresh child process, against a fresh double. */
export async function recordAgainst(fault: Fault): Promise<ChildReport> {
  const gateway = await startFaultGateway(fault);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [...NODE_FLAGS, CHILD, '--url', gateway.url], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as ChildReport;
  } finally {
    await gateway.close();
  }
}

export async function benchMemory(): Promise<void> {
  console.log(`\npeak RSS recording mcp.catalog in a child process (node ${NODE_FLAGS.join(' ')}) against fault doubles of the gateway (target < ${TARGET_MB} MB):`);
  let floor = 0;
  for (const row of ROWS) {
    const report = await recordAgainst(row.fault);
    floor ||= report.peakRssMb;
    const mark = report.peakRssMb < TARGET_MB ? 'met' : 'MISSED';
    console.log(
      `  ${row.label.padEnd(40)} ${report.peakRssMb.toFixed(0).padStart(4)} MB (${(report.peakRssMb / floor).toFixed(2)}× the floor)  ${mark.padEnd(6)} ${(report.durationMs / 1000).toFixed(1).padStart(5)} s  ` +
        `transcript ${(report.transcriptBytes / 1024).toFixed(0)} KB  ${report.status}${row.old ? `  (was ${row.old})` : ''}`,
    );
    console.log(`    ${report.summary.slice(0, 160)}`);
  }
}
