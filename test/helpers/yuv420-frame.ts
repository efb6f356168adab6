/** 4:2:0 VideoFrames made from RGBA pixels, as a camera would deliver them, for the frame grabber's tests. */

const LUMA_WEIGHTS = { smpte170m: [0.299, 0.114], bt709: [0.2126, 0.0722] } as const;

/**
 * A 4:2:0 VideoFrame of `image` in the given matrix and range: Y per pixel, U and V per 2 x 2 block (the mean of
 * its four pixels), rounded; as I420 (U and V planes) or NV12 (U and V interleaved). The caller closes it.
 */
export function yuv420Frame(
  image: ImageData,
  matrix: keyof typeof LUMA_WEIGHTS,
  fullRange: boolean,
  format: 'I420' | 'NV12' = 'I420',
  /** Whether the frame says its colour space, or leaves it unspecified as some cameras' frames do. */
  declared = true,
): VideoFrame {
  const { width, height, data } = image;
  const [kr, kb] = LUMA_WEIGHTS[matrix];
  const kg = 1 - kr - kb;
  const [yScale, yOffset, cScale] = fullRange ? [1, 0, 1] : [219 / 255, 16, 224 / 255];
  const chromaWidth = width / 2;
  const bytes = new Uint8Array(width * height * 1.5);
  const u = width * height;
  const v = u + (width * height) / 4;
  const luma = (i: number) => kr * data[i] + kg * data[i + 1] + kb * data[i + 2];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) bytes[y * width + x] = Math.round(yOffset + yScale * luma((y * width + x) * 4));
  }
  for (let y = 0; y < height / 2; y++) {
    for (let x = 0; x < chromaWidth; x++) {
      let cb = 0;
      let cr = 0;
      for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
        const i = ((2 * y + dy) * width + 2 * x + dx) * 4;
        const l = luma(i);
        cb += (data[i + 2] - l) / (2 * (1 - kb)) / 4;
        cr += (data[i] - l) / (2 * (1 - kr)) / 4;
      }
      const [uAt, vAt] = format === 'NV12' ? [u + 2 * (y * chromaWidth + x), u + 2 * (y * chromaWidth + x) + 1] : [u + y * chromaWidth + x, v + y * chromaWidth + x];
      bytes[uAt] = Math.min(255, Math.max(0, Math.round(128 + cScale * cb)));
      bytes[vAt] = Math.min(255, Math.max(0, Math.round(128 + cScale * cr)));
    }
  }
  return new VideoFrame(bytes, {
    format,
    codedWidth: width,
    codedHeight: height,
    timestamp: 0,
    colorSpace: declared ? { matrix, fullRange, primaries: matrix === 'bt709' ? 'bt709' : 'smpte170m', transfer: matrix === 'bt709' ? 'bt709' : 'smpte170m' } : {},
  });
}
