/** The real webcam frames of ../shared/datasets/webcam-hand-gestures, as the test server serves them. */
export const WEBCAM_FRAMES = '/datasets/webcam-hand-gestures';

/** The frames' URLs of each of `classes`, sorted by file name. */
export async function framesByClass(classes: readonly string[]): Promise<Map<string, string[]>> {
  const csv = await (await fetch(`${WEBCAM_FRAMES}/frames.csv`)).text();
  const files = csv.split('\n').slice(1).map((line) => line.split(',')[0]).filter(Boolean).sort();
  return new Map(classes.map((c) => [c, files.filter((f) => f.startsWith(`${c}/`)).map((f) => `${WEBCAM_FRAMES}/${f}`)]));
}

/** The image at `url`, decoded. */
export async function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = url;
  await image.decode();
  return image;
}
