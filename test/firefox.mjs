// How the tests and the bench launch Firefox: the system's firefox-esr (or FIREFOX_PATH), through puppeteer-core over
// WebDriver BiDi (docs/browsers.md says why), with preferences doing what Chromium's flags do for the tests.
import puppeteer from 'puppeteer-core';

export const firefoxPath = () => process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Firefox's own preferences for Chromium's --use-fake-device-for-media-stream, --use-fake-ui-for-media-stream and
 * --autoplay-policy=no-user-gesture-required: a synthetic camera (one bright colour, any size asked for), no
 * permission prompt, and media that plays without a gesture.
 */
export const firefoxPrefs = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
};

/** Headless Firefox with the fake camera and `extraPrefs`. */
export function launchFirefox(extraPrefs = {}) {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    extraPrefsFirefox: { ...firefoxPrefs, ...extraPrefs },
  });
}
