// Prints one plain closing line, "N passed, N failed", after Jest's own summary, so that CI and
// people read the same count. A test file that fails to load counts as one failure.
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    // Skipped tests (those that need an optional tool, such as python3-h5py) are counted on their own line.
    const skipped = results.numPendingTests + results.numTodoTests;
    if (skipped > 0) process.stdout.write(`\n${skipped} skipped (see the notes above)`);
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryLineReporter;
