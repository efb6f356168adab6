/**
 * FrameGrabber: the centre square of any source, scaled to 224 x 224 and mirrored like the preview, and the
 * thumbnails made from it.
 */
import { expect } from '@open-wc/testing';
import { centreSquare, FrameGrabber } from '../../src/frame';
import { startFakeCamera } from '../../bench/page/camera';

const RED = [255, 0, 0];
const GREEN = [0, 255, 0];
const BLUE = [0, 0, 255];

/**
 * A width x height canvas: the left and right margins outside the centre square are green, and the square itself
 * red on its left half, blue on its right half.
 */
function quadrants(width: number, height: number): HTMLCanvasElement {
  const canvas = Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d')!;
  const { sx, sy, size } = centreSquare(width, height);
  context.fillStyle = 'rgb(0, 255, 0)';
  context.fillRect(0, 0, width, height);
  context.fillStyle = 'rgb(255, 0, 0)';
  context.fillRect(sx, sy, size / 2, size);
  context.fillStyle = 'rgb(0, 0, 255)';
  context.fillRect(sx + size / 2, sy, size / 2, size);
  return canvas;
}

const rgbAt = (image: ImageData, x: number, y: number) => Array.from(image.data.slice((y * image.width + x) * 4, (y * image.width + x) * 4 + 3));

describe('centreSquare', () => {
  it('is the largest centred square, landscape or portrait', () => {
    expect(centreSquare(640, 480)).to.deep.equal({ sx: 80, sy: 0, size: 480 });
    expect(centreSquare(300, 500)).to.deep.equal({ sx: 0, sy: 100, size: 300 });
    expect(centreSquare(224, 224)).to.deep.equal({ sx: 0, sy: 0, size: 224 });
  });
});

describe('FrameGrabber', () => {
  for (const [width, height] of [
    [640, 480],
    [300, 500],
  ]) {
    it(`takes the centre square of a ${width} x ${height} canvas, mirrored when asked`, () => {
      const grabber = new FrameGrabber();
      const source = quadrants(width, height);
      const plain = grabber.grab(source, false)!;
      expect([plain.width, plain.height]).to.deep.equal([224, 224]);
      for (const y of [0, 112, 223]) {
        // Nothing of the green margins, red on the left and blue on the right; the middle columns blend.
        expect(rgbAt(plain, 0, y)).to.deep.equal(RED);
        expect(rgbAt(plain, 110, y)).to.deep.equal(RED);
        expect(rgbAt(plain, 113, y)).to.deep.equal(BLUE);
        expect(rgbAt(plain, 223, y)).to.deep.equal(BLUE);
      }
      const mirrored = grabber.grab(source, true)!;
      for (let x = 0; x < 224; x++) expect(rgbAt(mirrored, x, 50), `column ${x}`).to.deep.equal(rgbAt(plain, 223 - x, 50));
    });
  }

  it('grabs images and ImageBitmaps as it grabs canvases', async () => {
    const source = quadrants(400, 200);
    const grabber = new FrameGrabber();
    const expected = Array.from(grabber.grab(source, true)!.data);
    const bitmap = await createImageBitmap(source);
    expect(Array.from(grabber.grab(bitmap, true)!.data)).to.deep.equal(expected);
    bitmap.close();
    const image = new Image();
    image.src = source.toDataURL('image/png');
    await image.decode();
    expect(Array.from(grabber.grab(image, true)!.data)).to.deep.equal(expected);
    expect(rgbAt(grabber.grab(image, true)!, 0, 0)).to.deep.equal(BLUE);
  });

  it('gives null for a video with no frame yet, and the camera frame once it plays', async () => {
    const grabber = new FrameGrabber();
    expect(grabber.grab(document.createElement('video'), true)).to.equal(null);
    const camera = await startFakeCamera();
    try {
      const pixels = grabber.grab(camera.video, true)!;
      expect([pixels.width, pixels.height]).to.deep.equal([224, 224]);
      // The fake camera's picture is not one colour.
      const distinct = new Set<number>();
      for (let i = 0; i < pixels.data.length; i += 4 * 97) distinct.add(pixels.data[i] | (pixels.data[i + 1] << 8) | (pixels.data[i + 2] << 16));
      expect(distinct.size).to.be.greaterThan(10);
      for (let i = 3; i < pixels.data.length; i += 4) if (pixels.data[i] !== 255) expect.fail(`alpha ${pixels.data[i]} at ${i}`);
    } finally {
      camera.stop();
    }
  });

  it('makes a thumbnail of the last grab, mirrored as it was', async () => {
    const grabber = new FrameGrabber(32);
    const source = quadrants(640, 480);
    const decode = async (url: string) => {
      expect(url.startsWith('data:image/jpeg;base64,')).to.equal(true);
      const image = new Image();
      image.src = url;
      await image.decode();
      expect([image.naturalWidth, image.naturalHeight]).to.deep.equal([32, 32]);
      const canvas = Object.assign(document.createElement('canvas'), { width: 32, height: 32 });
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      return context.getImageData(0, 0, 32, 32);
    };
    const near = (actual: number[], expected: number[]) => actual.every((v, i) => Math.abs(v - expected[i]) <= 24);
    grabber.grab(source, false);
    const plain = await decode(grabber.thumbnail());
    expect(near(rgbAt(plain, 2, 16), RED), `${rgbAt(plain, 2, 16)}`).to.equal(true);
    expect(near(rgbAt(plain, 29, 16), BLUE), `${rgbAt(plain, 29, 16)}`).to.equal(true);
    grabber.grab(source, true);
    const mirrored = await decode(grabber.thumbnail());
    expect(near(rgbAt(mirrored, 2, 16), BLUE), `${rgbAt(mirrored, 2, 16)}`).to.equal(true);
    expect(near(rgbAt(mirrored, 29, 16), RED), `${rgbAt(mirrored, 29, 16)}`).to.equal(true);
    expect(near(rgbAt(mirrored, 16, 2), GREEN)).to.equal(false);
  });
});
