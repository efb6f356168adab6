/**
 * FrameGrabber: the centre square of any source, scaled to 224 x 224 and mirrored like the preview, and the
 * thumbnails made from it.
 */
import { expect } from '@open-wc/testing';
import { centreSquare, drawsVideoAsScaled, FrameGrabber } from '../../../src/camera/frame';
import { startFakeCamera } from '../../../bench/page/camera';
import { yuv420Frame } from '../../helpers/yuv420-frame';
import { pausedVideoOf } from '../../helpers/paused-video';
import { inFirefox, itExceptInFirefox } from '../../helpers/browser';

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
      // Chromium's fake camera's picture is not one colour; Firefox's is one bright colour (a timestamp at the top edge).
      const distinct = new Set<number>();
      let brightest = 0;
      for (let i = 0; i < pixels.data.length; i += 4 * 97) {
        distinct.add(pixels.data[i] | (pixels.data[i + 1] << 8) | (pixels.data[i + 2] << 16));
        brightest = Math.max(brightest, pixels.data[i], pixels.data[i + 1], pixels.data[i + 2]);
      }
      if (inFirefox) expect(brightest).to.be.greaterThan(128);
      else expect(distinct.size).to.be.greaterThan(10);
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

const meanDifference = (a: ImageData, b: ImageData) => {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) if (i % 4 !== 3) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / ((a.data.length / 4) * 3);
};

const DRAWS_OTHERWISE = 'Firefox draws video frames with another filter than the scaler, so grabVideo draws them';

describe('FrameGrabber.grabVideo', () => {
  // The probe copies a frame of its own once per page: it is done before copies are counted.
  before(() => drawsVideoAsScaled());

  it("reads frames itself in Chromium, whose drawing it matches, and draws them in Firefox, whose drawing it does not", async () => {
    expect(await drawsVideoAsScaled()).to.equal(!inFirefox);
  });

  itExceptInFirefox(DRAWS_OTHERWISE, 'takes the centre square of a video frame with copyTo, mirrored when asked', async () => {
    const { video, stop } = await pausedVideoOf(quadrants(640, 480));
    const copyTo = VideoFrame.prototype.copyTo;
    let copies = 0;
    VideoFrame.prototype.copyTo = function counted(this: VideoFrame, ...args: Parameters<VideoFrame['copyTo']>) {
      copies++;
      return copyTo.apply(this, args);
    };
    try {
      const grabber = new FrameGrabber();
      const plain = (await grabber.grabVideo(video, false))!;
      const near = (actual: number[], expected: number[]) => actual.every((v, i) => Math.abs(v - expected[i]) <= 3);
      for (const y of [0, 112, 223]) {
        for (const [x, colour] of [[0, RED], [100, RED], [124, BLUE], [223, BLUE]] as const) {
          expect(near(rgbAt(plain, x, y), colour), `${rgbAt(plain, x, y)} at ${x}, ${y}`).to.equal(true);
        }
      }
      const mirrored = (await grabber.grabVideo(video, true))!;
      for (let x = 0; x < 224; x++) expect(rgbAt(mirrored, x, 50), `column ${x}`).to.deep.equal(rgbAt(plain, 223 - x, 50));
      expect(copies).to.equal(2);
    } finally {
      VideoFrame.prototype.copyTo = copyTo;
      stop();
    }
  });

  it("gives the camera frame's square as grab() does, to within rounding on average", async () => {
    const camera = await startFakeCamera();
    try {
      camera.video.pause();
      const grabber = new FrameGrabber();
      const fast = (await grabber.grabVideo(camera.video, true))!;
      const drawn = grabber.grab(camera.video, true)!;
      // The fake camera draws sharp saturated edges, where a canvas scaling a video filters differently.
      expect(meanDifference(fast, drawn)).to.be.below(1);
      for (let i = 3; i < fast.data.length; i += 4) if (fast.data[i] !== 255) expect.fail(`alpha ${fast.data[i]} at ${i}`);
    } finally {
      camera.stop();
    }
  });

  it('makes the thumbnail from what it grabbed', async () => {
    const { video, stop } = await pausedVideoOf(quadrants(640, 480));
    try {
      const grabber = new FrameGrabber(32);
      grabber.grab(quadrants(640, 480), false);
      await grabber.grabVideo(video, true);
      const image = new Image();
      image.src = grabber.thumbnail();
      await image.decode();
      const canvas = Object.assign(document.createElement('canvas'), { width: 32, height: 32 });
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const thumbnail = context.getImageData(0, 0, 32, 32);
      const near = (actual: number[], expected: number[]) => actual.every((v, i) => Math.abs(v - expected[i]) <= 24);
      expect(near(rgbAt(thumbnail, 2, 16), BLUE), `${rgbAt(thumbnail, 2, 16)}`).to.equal(true);
      expect(near(rgbAt(thumbnail, 29, 16), RED), `${rgbAt(thumbnail, 29, 16)}`).to.equal(true);
    } finally {
      stop();
    }
  });

  it('draws the frame as grab() does when its centre square is not on whole chroma blocks', async () => {
    const { video, stop } = await pausedVideoOf(quadrants(642, 480));
    try {
      const grabber = new FrameGrabber();
      const grabbed = (await grabber.grabVideo(video, true))!;
      expect(Array.from(grabbed.data)).to.deep.equal(Array.from(grabber.grab(video, true)!.data));
    } finally {
      stop();
    }
  });

  itExceptInFirefox(DRAWS_OTHERWISE, 'draws frames as grab() does once copyTo cannot convert to RGBA, without asking it again', async () => {
    const { video, stop } = await pausedVideoOf(quadrants(640, 480));
    const copyTo = VideoFrame.prototype.copyTo;
    let calls = 0;
    VideoFrame.prototype.copyTo = function refuse() {
      calls++;
      return Promise.reject(new DOMException('RGBA is not supported', 'NotSupportedError'));
    };
    try {
      const grabber = new FrameGrabber();
      for (let i = 0; i < 3; i++) {
        const grabbed = (await grabber.grabVideo(video, false))!;
        expect(Array.from(grabbed.data)).to.deep.equal(Array.from(grabber.grab(video, false)!.data));
      }
      expect(calls).to.equal(1);
    } finally {
      VideoFrame.prototype.copyTo = copyTo;
      stop();
    }
  });

  it('gives null for a video with no frame yet', async () => {
    expect(await new FrameGrabber().grabVideo(document.createElement('video'), true)).to.equal(null);
  });
});

/** A 640 x 480 picture with smooth gradients, a soft blob and saturated hard-edged patches. */
function picture(): ImageData {
  const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 480 });
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  const gradient = context.createLinearGradient(0, 0, 640, 480);
  gradient.addColorStop(0, 'rgb(240, 30, 60)');
  gradient.addColorStop(0.5, 'rgb(40, 160, 90)');
  gradient.addColorStop(1, 'rgb(20, 60, 230)');
  context.fillStyle = gradient;
  context.fillRect(0, 0, 640, 480);
  const blob = context.createRadialGradient(300, 200, 10, 300, 200, 150);
  blob.addColorStop(0, 'rgba(255, 255, 200, 1)');
  blob.addColorStop(1, 'rgba(255, 255, 200, 0)');
  context.fillStyle = blob;
  context.fillRect(0, 0, 640, 480);
  context.fillStyle = 'rgb(255, 0, 0)';
  context.fillRect(150, 300, 90, 70);
  context.fillStyle = 'rgb(0, 0, 255)';
  context.fillRect(400, 60, 80, 120);
  return context.getImageData(0, 0, 640, 480);
}

describe('FrameGrabber.grabFrame on 4:2:0 frames', () => {
  for (const [format, matrix, fullRange, converter] of [
    ['I420', 'smpte170m', false, 'it converts'],
    ['I420', 'smpte170m', true, 'it converts'],
    ['NV12', 'smpte170m', false, 'it converts'],
    ['I420', 'bt709', false, 'the browser converts'],
  ] as const) {
    it(`reads a ${format} ${matrix} ${fullRange ? 'full' : 'limited'} range frame (${converter}) as the browser draws it`, async () => {
      const frame = yuv420Frame(picture(), matrix, fullRange, format);
      const copyTo = VideoFrame.prototype.copyTo;
      const formats: (string | undefined)[] = [];
      VideoFrame.prototype.copyTo = function recorded(this: VideoFrame, ...args: Parameters<VideoFrame['copyTo']>) {
        formats.push(args[1]?.format);
        return copyTo.apply(this, args);
      };
      try {
        const grabber = new FrameGrabber();
        const ours = (await grabber.grabFrame(frame, true))!;
        expect(formats).to.deep.equal([converter === 'it converts' ? undefined : 'RGBA']);
        const canvas = Object.assign(document.createElement('canvas'), { width: 224, height: 224 });
        const context = canvas.getContext('2d', { willReadFrequently: true })!;
        context.translate(224, 0);
        context.scale(-1, 1);
        context.drawImage(frame, 80, 0, 480, 480, 0, 0, 224, 224);
        const drawn = context.getImageData(0, 0, 224, 224);
        let far = 0;
        for (let i = 0; i < drawn.data.length; i++) if (Math.abs(drawn.data[i] - ours.data[i]) > 4) far++;
        expect(meanDifference(ours, drawn)).to.be.below(0.75);
        // Only at the hard edges of the saturated patches do the two filters differ by more than a little.
        expect(far / (224 * 224 * 3)).to.be.below(0.01);
      } finally {
        VideoFrame.prototype.copyTo = copyTo;
        frame.close();
      }
    });
  }
});

