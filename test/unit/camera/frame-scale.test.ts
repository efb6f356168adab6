/** SquareScaler: scaling of an RGBA square, mirrored when asked, aligned as a canvas scales. */
import { expect } from '@open-wc/testing';
import { SquareScaler } from '../../../src/camera/frame-scale';
import { mulberry32 } from '../../../scripts/eval/sampling';

function randomSquare(size: number, seed: number): Uint8ClampedArray {
  const random = mulberry32(seed);
  const pixels = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(random() * 256);
  return pixels;
}

const words = (bytes: Uint8ClampedArray) => new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);

function scaled(source: Uint8ClampedArray, size: number, out: number, mirror: boolean): Uint8ClampedArray {
  const scaler = new SquareScaler(size, out, mirror);
  scaler.input.set(source);
  scaler.scale();
  return scaler.output.slice();
}

describe('SquareScaler', () => {
  it('halves a square to the mean of each 2 x 2 block, within one of 255, and makes it opaque', () => {
    const source = randomSquare(448, 1);
    const target = scaled(source, 448, 224, false);
    let worst = 0;
    for (let y = 0; y < 224; y++) {
      for (let x = 0; x < 224; x++) {
        for (let c = 0; c < 3; c++) {
          const at = (sy: number, sx: number) => source[(sy * 448 + sx) * 4 + c];
          const mean = (at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) / 4;
          worst = Math.max(worst, Math.abs(target[(y * 224 + x) * 4 + c] - mean));
        }
        expect(target[(y * 224 + x) * 4 + 3]).to.equal(255);
      }
    }
    expect(worst).to.be.at.most(1);
  });

  it('averages a square at least twice the output before sampling it, so fine stripes become grey', () => {
    // Alternate black and white columns: sampling 2 of every 2.14 columns would give stripes of any grey.
    const size = 480;
    const source = new Uint8ClampedArray(size * size * 4);
    for (let i = 0; i < size * size; i++) source.fill(i % 2 ? 255 : 0, i * 4, i * 4 + 3);
    const target = scaled(source, size, 224, false);
    for (let i = 0; i < target.length; i++) {
      if (i % 4 !== 3 && Math.abs(target[i] - 127.5) > 1) expect.fail(`${target[i]} at ${i}`);
    }
  });

  it('mirrors each row exactly when asked', () => {
    const source = randomSquare(480, 2);
    const plain = words(scaled(source, 480, 224, false));
    const mirrored = words(scaled(source, 480, 224, true));
    for (let y = 0; y < 224; y++) {
      for (let x = 0; x < 224; x++) {
        if (mirrored[y * 224 + x] !== plain[y * 224 + 223 - x]) expect.fail(`row ${y}, column ${x}`);
      }
    }
  });

  it('scales as a canvas scales a canvas, up to rounding', () => {
    // A smooth picture (gradients and a soft blob), where bilinear filters agree once their pixel centres do.
    const size = 480;
    const canvas = Object.assign(document.createElement('canvas'), { width: size, height: size });
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const gradient = context.createLinearGradient(0, 0, size, size);
    gradient.addColorStop(0, 'rgb(250, 20, 40)');
    gradient.addColorStop(1, 'rgb(10, 200, 240)');
    context.fillStyle = gradient;
    context.fillRect(0, 0, size, size);
    const blob = context.createRadialGradient(300, 200, 10, 300, 200, 150);
    blob.addColorStop(0, 'rgba(255, 255, 0, 1)');
    blob.addColorStop(1, 'rgba(255, 255, 0, 0)');
    context.fillStyle = blob;
    context.fillRect(0, 0, size, size);
    const source = context.getImageData(0, 0, size, size).data;
    const small = Object.assign(document.createElement('canvas'), { width: 224, height: 224 });
    const smallContext = small.getContext('2d', { willReadFrequently: true })!;
    smallContext.drawImage(canvas, 0, 0, size, size, 0, 0, 224, 224);
    const expected = smallContext.getImageData(0, 0, 224, 224).data;
    const actual = scaled(source, size, 224, false);
    let worst = 0;
    for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    expect(worst).to.be.at.most(2);
  });

  it('scales again after scaling, and other sizes, odd ones included', () => {
    const scaler = new SquareScaler(480, 224, false);
    scaler.input.set(randomSquare(480, 3));
    scaler.scale();
    const second = randomSquare(480, 4);
    scaler.input.set(second);
    scaler.scale();
    expect(Array.from(scaler.output)).to.deep.equal(Array.from(scaled(second, 480, 224, false)));
    // 301 cannot be halved; 1080 is halved twice, to 270; 5 pixels scale up to 7.
    for (const [size, out] of [[301, 224], [1080, 224], [5, 7]]) {
      const target = scaled(randomSquare(size, size), size, out, true);
      expect(target.length).to.equal(out * out * 4);
      for (let i = 3; i < target.length; i += 4) if (target[i] !== 255) expect.fail(`alpha at ${i} for ${size}`);
    }
  });

  it('refuses a square too small to scale, and 4:2:0 planes it cannot read', () => {
    expect(() => new SquareScaler(1, 224, false)).to.throw(RangeError);
    const coefficients = { yOffset: 16, ky: 0, kvr: 0, kug: 0, kvg: 0, kub: 0 };
    // 300 is not halved to 224, so it cannot be converted while halved.
    expect(() => new SquareScaler(300, 224, false).scaleYuv420([], coefficients)).to.throw(RangeError);
    const planes = [{ offset: 0, stride: 480 }, { offset: 230400, stride: 240 }, { offset: 288000, stride: 256 }];
    expect(() => new SquareScaler(480, 224, false).scaleYuv420(planes, coefficients)).to.throw(RangeError);
  });
});
