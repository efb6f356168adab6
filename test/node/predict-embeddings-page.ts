/**
 * The browser side of test/node/predict-embeddings.test.mjs: embeds photos exactly as the app and `npm run eval`
 * do (decoded by the browser, centre square drawn by FrameGrabber at 224 x 224, Embedder.embed on wasm).
 */
import { FrameGrabber } from '../../src/camera/frame';
import { encodeFloat32 } from '../../src/dataset/float32-base64';
import { setUp } from '../../scripts/eval/setup';

declare global {
  interface Window {
    embedPhotos(job: { readonly model: string; readonly urls: readonly string[] }): Promise<string[] | { readonly error: string }>;
  }
}

window.embedPhotos = async ({ model, urls }) => {
  const setup = await setUp('wasm', model);
  if ('error' in setup) return setup;
  const grabber = new FrameGrabber();
  const embeddings: string[] = [];
  try {
    for (const url of urls) {
      const bitmap = await createImageBitmap(await (await fetch(url)).blob());
      const pixels = grabber.grab(bitmap, false);
      bitmap.close();
      if (!pixels) return { error: `${url} has no pixels` };
      const embedding = setup.embedder.embed(pixels);
      embeddings.push(encodeFloat32((await embedding.data()) as Float32Array));
      embedding.dispose();
    }
  } finally {
    setup.embedder.dispose();
  }
  return embeddings;
};
