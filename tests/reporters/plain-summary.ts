/**
 * Prints the plain closing line CI reads — `N passed, N failed[, N skipped]` — after
 * vitest's own summary, which CI does not recognise.
 *
 * Failures are not only failed tests: a file that fails to load, a suite or file whose
 * `beforeAll`/`afterAll` hook throws (its tests are then skipped, not failed), an unhandled
 * error, and a run that ends failed for any other reason each count as one failure, so a red
 * run never reads `0 failed`.
 */
import type { SerializedError } from 'vitest';
import type { Reporter, TestModule, TestRunEndReason, TestSuite } from 'vitest/node';

export function countResults(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>, reason: TestRunEndReason) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failedTestsIn = (container: TestModule | TestSuite) => [...container.children.allTests()].filter((t) => t.result().state === 'failed').length;
  for (const module of testModules) {
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') passed++;
      else if (state === 'failed') failed++;
      else skipped++;
    }
    // A suite whose hook failed: its tests were skipped, not failed, so the suite counts.
    const hookFailures = [...module.children.allSuites()].filter((suite) => suite.state() === 'failed' && failedTestsIn(suite) === 0).length;
    failed += hookFailures;
    // A file that failed to load, or whose own top-level hook failed.
    if (module.state() === 'failed' && failedTestsIn(module) === 0 && hookFailures === 0) failed++;
  }
  failed += unhandledErrors.length;
  if (reason === 'failed' && failed === 0) failed = 1;
  return { passed, failed, skipped };
}

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const { passed, failed, skipped } = countResults(testModules, unhandledErrors, reason);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
