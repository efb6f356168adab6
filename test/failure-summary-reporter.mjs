import { relative } from 'node:path';

/**
 * A web-test-runner reporter that repeats every failure, with its browser, file, test and error, once the run has
 * ended. The default reporter prints a failure when its file finishes, so in a long run's log it lies hundreds of
 * lines above the end; a log cut to its last part (as CI logs often are) would keep the count and lose the cause.
 */
export function failureSummaryReporter() {
  return {
    stop({ sessions }) {
      const lines = [];
      for (const session of sessions) {
        const where = `${session.browser.name}: ${relative(process.cwd(), session.testFile)}`;
        for (const error of session.errors) lines.push(`${where}\n    ${firstLines(error.message)}`);
        for (const { title, error } of failedTests(session.testResults, [])) {
          lines.push(`${where} > ${title}\n    ${firstLines(error?.message ?? 'failed')}`);
        }
      }
      if (lines.length === 0) return;
      // At exit, so that it follows the default reporter's own last lines.
      process.once('exit', () => {
        process.stdout.write(`\nFailures (${lines.length}), repeated from above:\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
      });
    },
  };
}

function* failedTests(suite, path) {
  if (!suite) return;
  const here = suite.name ? [...path, suite.name] : path;
  for (const test of suite.tests ?? []) {
    if (!test.passed && !test.skipped) yield { title: [...here, test.name].join(' > '), error: test.error };
  }
  for (const child of suite.suites ?? []) yield* failedTests(child, here);
}

function firstLines(message, count = 4) {
  return String(message).split('\n').slice(0, count).join('\n    ');
}
