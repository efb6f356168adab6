/** Which engine runs the test page: the suites run in Chromium and Firefox (web-test-runner.config.mjs). */
export const inFirefox = navigator.userAgent.includes('Firefox/');

/**
 * `it`, except in Firefox, where the test is registered as skipped with `reason` in its name (what Firefox or its
 * driver lacks), so the report says why it did not run there.
 */
export function itExceptInFirefox(reason: string, title: string, body: (this: Mocha.Context) => void | PromiseLike<unknown>): Mocha.Test {
  return inFirefox ? it.skip(`${title} [not in Firefox: ${reason}]`, body) : it(title, body);
}
