// Makes the README's pictures of the running app recognising real hand gestures: docs/screenshot.png (three
// classes taught, the app naming a frame it was not taught), docs/screenshot-phone.png (the same at a phone's
// 375 px width, scrolled to the third class with the preview strip still in view) and docs/recording.webp (a button held, the bars
// reacting). The camera is Chromium's fake capture device playing real webcam frames of one person from
// webcam-hand-gestures (../shared/datasets, MIT), each frame shown for about a second and crossfaded into the next
// so that it looks like a steady hand. The video is made with ffmpeg in a temporary folder and never kept.
// Usage: start the app with the models (MOBILENET_MODELS_DIR=../shared/models npm start), then
//   node scripts/screenshot.mjs [URL] [OUT_DIR]      (env DATASETS_DIR: default ../shared/datasets)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FAKE_CAMERA_ARGS, launchBrowser } from './launch.mjs';

const url = process.argv[2] ?? 'http://127.0.0.1:5173/';
const outDir = process.argv[3] ?? 'docs';
const frames = resolve(process.env.DATASETS_DIR ?? '../shared/datasets', 'webcam-hand-gestures');

/**
 * Three classes of one person (frames.csv: dark_top(A)), at about the same distance from the camera, chosen by eye;
 * files are named by the start of their UUID. `unseen` is shown last and never recorded.
 */
const CLASSES = [
  { label: 'Open palm', folder: 'palm', taught: ['01453c01', '04eec540', '0696ba4a', '11798597', '2e075b01'] },
  { label: 'Thumbs up', folder: 'up', taught: ['0b62b46d', '1189af8d', '19360dd9', '23db63a8', '26eed5c7'] },
  { label: 'Thumbs down', folder: 'down', taught: ['0388310d', '175849af', '207e7dc5', '249add7e', '357bc3c1'] },
];
const UNSEEN = { classIndex: 1, file: '2724e305' };
const SHOWN = 1.6; // seconds each taught frame is on screen, fades included
const FADE = 0.4;
const UNSEEN_SECONDS = 9;
const FPS = 15;

function file(folder, prefix) {
  const name = execFileSync('ls', [join(frames, folder)], { encoding: 'utf8' })
    .split('\n')
    .find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`no frame ${prefix}* in ${join(frames, folder)}`);
  return join(frames, folder, name);
}

/** The video (raw YUV 4:2:0, which Chromium's fake camera plays), and where each class's frames start and end in it (seconds). */
function makeVideo(dir) {
  const clips = CLASSES.flatMap((c) => c.taught.map((prefix) => ({ path: file(c.folder, prefix), seconds: SHOWN })));
  clips.push({ path: file(CLASSES[UNSEEN.classIndex].folder, UNSEEN.file), seconds: UNSEEN_SECONDS });
  const inputs = clips.flatMap((c) => ['-loop', '1', '-t', String(c.seconds), '-framerate', String(FPS), '-i', c.path]);
  // The frames' own size: Chromium scales the camera up, as it would a 320 x 240 webcam.
  const scaled = clips.map((_, i) => `[${i}]scale=320:240,setsar=1,format=yuv420p[v${i}]`);
  let last = 'v0';
  let offset = 0;
  const fades = clips.slice(1).map((clip, i) => {
    offset += clips[i].seconds - FADE;
    const out = `x${i + 1}`;
    const filter = `[${last}][v${i + 1}]xfade=transition=fade:duration=${FADE}:offset=${offset.toFixed(3)}[${out}]`;
    last = out;
    return filter;
  });
  const video = join(dir, 'hands.y4m');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...inputs, '-filter_complex', [...scaled, ...fades].join(';'), '-map', `[${last}]`,
    '-r', String(FPS), '-pix_fmt', 'yuv420p', video]);
  const step = SHOWN - FADE;
  const perClass = CLASSES[0].taught.length;
  const segments = CLASSES.map((_, c) => ({ start: c * perClass * step, end: (c + 1) * perClass * step }));
  const unseenStart = CLASSES.length * perClass * step;
  return { video, segments, unseenStart, length: unseenStart + UNSEEN_SECONDS };
}

const dir = mkdtempSync(join(tmpdir(), 'tm-screenshot-'));
const browser = await (async () => {
  if (!existsSync(frames)) throw new Error(`${frames} is missing: the pictures need the real webcam frames.`);
  const { video, segments, unseenStart, length } = makeVideo(dir);
  const launched = await launchBrowser([...FAKE_CAMERA_ARGS, `--use-file-for-fake-video-capture=${video}`]);
  return Object.assign(launched, { timeline: { segments, unseenStart, length } });
})();
try {
  const { segments, unseenStart, length } = browser.timeline;
  const page = await browser.newPage();
  // Tall enough for the film to show the third card's button; the screenshot is the top 800 pixels.
  await page.setViewport({ width: 1100, height: 1010, deviceScaleFactor: 1 });
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  await page.goto(url, { waitUntil: 'load' });
  const app = await page.waitForFunction(() => {
    const element = document.querySelector('tm-app');
    return element?.teachable.embedder && element.shadowRoot.querySelector('tm-webcam')?.video?.currentTime > 0 ? element : null;
  }, { timeout: 120000, polling: 200 });
  await app.evaluate((element, labels) => {
    const { teachable } = element;
    teachable.classes.forEach((c, i) => teachable.renameClass(c.id, labels[i]));
    for (const label of labels.slice(teachable.classes.length)) teachable.addClass(label);
    // What the page predicted last, read after the unseen frame has been on screen a while.
    element.addEventListener('tm-prediction', (e) => (window.lastPrediction = e.detail.label));
  }, CLASSES.map((c) => c.label));

  /** Seconds into the looping video (the fake camera starts it when the page opens the camera). */
  const position = () => app.evaluate((element) => element.shadowRoot.querySelector('tm-webcam').video.currentTime);
  /** Resolves once the video is between `at` and half a second later (a page under load answers late). */
  const waitFor = async (at) => {
    for (;;) {
      const now = (await position()) % length;
      const ahead = (at - now + length) % length;
      if (ahead === 0 || ahead > length - 0.5) return;
      await new Promise((r) => setTimeout(r, Math.min(ahead * 1000, 50)));
    }
  };
  const hold = (index, on) =>
    app.evaluate((element, i, down) => {
      const card = element.shadowRoot.querySelector('tm-class-list').shadowRoot.querySelectorAll('tm-class-card')[i];
      const button = card.shadowRoot.querySelector('tm-record-button').shadowRoot.querySelector('button');
      if (down) button.focus();
      button.dispatchEvent(new KeyboardEvent(down ? 'keydown' : 'keyup', { key: ' ', bubbles: true }));
      if (!down) button.blur();
      // Focusing a button scrolls the page; the pictures show its top.
      window.scrollTo(0, 0);
    }, index, on);

  // The first two classes: hold each button while its frames play.
  for (const c of [0, 1]) {
    await waitFor(segments[c].start + 0.2);
    await hold(c, true);
    await waitFor(segments[c].end - 0.2);
    await hold(c, false);
  }
  // The third, filmed: the bars while its frames play untaught, then while its button is held.
  const last = segments[2];
  await waitFor(last.start - 0.6);
  // Chromium's own screencast: a JPEG each time the page paints, timed as it arrives.
  const session = await page.createCDPSession();
  const shots = [];
  session.on('Page.screencastFrame', ({ data, sessionId }) => {
    shots.push({ data, time: performance.now() / 1000 });
    session.send('Page.screencastFrameAck', { sessionId }).catch(() => undefined);
  });
  await session.send('Page.startScreencast', { format: 'jpeg', quality: 85 });
  await waitFor(last.start + 1.4);
  await hold(2, true);
  await waitFor(last.end - 0.2);
  await hold(2, false);
  await new Promise((r) => setTimeout(r, 1000));
  await session.send('Page.stopScreencast');
  await waitFor(unseenStart + 3);
  const predicted = await page.evaluate(() => window.lastPrediction);
  const expected = CLASSES[UNSEEN.classIndex].label;
  if (predicted !== expected) throw new Error(`the unseen frame of "${expected}" was recognised as ${JSON.stringify(predicted)}: no picture made`);
  await page.screenshot({ path: join(outDir, 'screenshot.png'), clip: { x: 0, y: 0, width: 1100, height: 800 } });
  // The phone: 375 px wide, scrolled down to the last class, the camera and bars still at the top.
  await page.setViewport({ width: 375, height: 740, deviceScaleFactor: 2 });
  await app.evaluate((element) => {
    const cards = element.shadowRoot.querySelector('tm-class-list').shadowRoot.querySelectorAll('tm-class-card');
    cards[cards.length - 1].scrollIntoView({ block: 'end' });
  });
  await new Promise((r) => setTimeout(r, 800));
  // On a busy machine the unseen frame may have played out meanwhile: then wait for it to come round again.
  const now = (await position()) % length;
  if (now < unseenStart + 2 || now > length - 1) await waitFor(unseenStart + 3);
  const phonePredicted = await page.evaluate(() => window.lastPrediction);
  if (phonePredicted !== expected) throw new Error(`at phone width the unseen frame was recognised as ${JSON.stringify(phonePredicted)}: no picture made`);
  await page.screenshot({ path: join(outDir, 'screenshot-phone.png') });

  // The film: each frame for as long as it was on screen, below the model panel, scaled down, as a looping WebP.
  const list = shots.map((shot, i) => {
    const name = join(dir, `shot-${String(i).padStart(4, '0')}.jpg`);
    writeFileSync(name, Buffer.from(shot.data, 'base64'));
    return `file '${name}'\nduration ${((shots[i + 1]?.time ?? shot.time + 0.5) - shot.time).toFixed(3)}`;
  });
  writeFileSync(join(dir, 'shots.txt'), `${list.join('\n')}\n${list.at(-1).split('\n')[0]}\n`);
  const film = join(outDir, 'recording.webp');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', join(dir, 'shots.txt'),
    '-vf', 'crop=1100:835:0:175,scale=770:-2:flags=lanczos,fps=10', '-c:v', 'libwebp_anim', '-lossless', '0', '-q:v', '70', '-loop', '0', film]);
  console.log(`wrote ${join(outDir, 'screenshot.png')}, ${join(outDir, 'screenshot-phone.png')} (the unseen frame recognised as "${predicted}") and ${film} (${(statSync(film).size / 1e6).toFixed(2)} MB)`);
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
