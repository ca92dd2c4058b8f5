// Prints one plain closing line, "N passed, N failed", after Jest's own summary, so that CI and
// people read the same count. A test file that fails to load counts as one failure.
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = SummaryLineReporter;
