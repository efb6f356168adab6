// Takes docs/screenshot.png of the running app: Chromium's synthetic fake camera, two classes recorded
// by holding their buttons, live bars. Usage: start the app (npm start), then
//   node scripts/screenshot.mjs [URL] [OUT]
import { launchBrowser } from './eval/harness.mjs';

const url = process.argv[2] ?? 'http://127.0.0.1:5173/';
const out = process.argv[3] ?? 'docs/screenshot.png';

const browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 760, deviceScaleFactor: 1 });
  page.on('console', (message) => console.error('[page]', message.text()));
  await page.goto(url, { waitUntil: 'load' });
  const app = await page.waitForFunction(() => {
    const element = document.querySelector('tm-app');
    return element?.teachable.embedder && element.shadowRoot.querySelector('tm-webcam')?.video ? element : null;
  }, { timeout: 120000, polling: 200 });

  const hold = async (index, ms) => {
    await app.evaluate(
      (element, i, duration) => {
        const card = element.shadowRoot.querySelectorAll('tm-class-card')[i];
        const button = card.shadowRoot.querySelector('tm-record-button').shadowRoot.querySelector('button');
        button.focus();
        button.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }));
        return new Promise((resolve) =>
          setTimeout(() => {
            button.dispatchEvent(new KeyboardEvent('keyup', { key: ' ', bubbles: true }));
            button.blur();
            resolve();
          }, duration),
        );
      },
      index,
      ms,
    );
  };
  await hold(0, 1500);
  await new Promise((r) => setTimeout(r, 1200));
  await hold(1, 1500);
  await new Promise((r) => setTimeout(r, 1500));
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
