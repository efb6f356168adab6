// Launching browsers from Node, shared by the scripts, the bench and the built-app tests: headless Chromium with
// the flags every run uses, its fake camera, and its downloads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

/** Chromium's synthetic camera, granted without a prompt: the app's own getUserMedia path gets a moving picture. */
export const FAKE_CAMERA_ARGS = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/** Headless Chromium as the brief for these scripts fixes it; puppeteer adds --headless=new itself. */
export function launchBrowser(extraArgs = []) {
  return puppeteer.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
    // A whole evaluation is one page.evaluate call, far longer than puppeteer's 3-minute default.
    protocolTimeout: 24 * 60 * 60 * 1000,
  });
}

/** Saves `browser`'s downloads into a fresh folder; `next` resolves each download's file path once it is complete. */
export async function captureDownloads(browser) {
  const dir = mkdtempSync(join(tmpdir(), 'teachable-downloads-'));
  const session = await browser.target().createCDPSession();
  await session.send('Browser.setDownloadBehavior', { behavior: 'allowAndName', downloadPath: dir, eventsEnabled: true });
  return {
    dir,
    next: (timeout = 20000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no download completed')), timeout);
        const onProgress = ({ guid, state }) => {
          if (state !== 'completed') return;
          clearTimeout(timer);
          session.off('Browser.downloadProgress', onProgress);
          resolve(join(dir, guid));
        };
        session.on('Browser.downloadProgress', onProgress);
      }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
