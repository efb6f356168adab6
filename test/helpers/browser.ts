/** Which engine runs the test page: the suites run in Chromium and Firefox (web-test-runner.config.mjs). */
export const inFirefox = navigator.userAgent.includes('Firefox/');

/**
 * `it`, except in Firefox, where the test is registered as skipped with `reason` in its name (what Firefox or its
 * driver lacks), so the report says why it did not run there.
 */
export function itExceptInFirefox(reason: string, title: string, body: (this: Mocha.Context) => void | PromiseLike<unknown>): Mocha.Test {
  return inFirefox ? it.skip(`${title} [not in Firefox: ${reason}]`, body) : it(title, body);
}

/** Why the tests of the frames' embedding worker do not run in Firefox, where the app embeds on the page instead. */
export const FIREFOX_EMBEDS_ON_PAGE =
  'Firefox embeds on the page: a threaded tfjs worker there was seen not to start after another page ended one';
