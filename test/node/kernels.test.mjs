// The committed kernels module is what kernels.wat compiles to, and each kernel computes what it says, on rows
// with padding and an odd count; the plain kernels (kernels-scalar.wat) give the SIMD ones' bits.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { compileDenseKernels, compileFrameKernels, compileKernels, denseModuleText, frameModuleText, storeModuleText } from '../../scripts/build-kernels.mjs';

const committed = new URL('../../src/classifier/knn/store/kernels-wasm.ts', import.meta.url);
const committedFrame = new URL('../../src/camera/frame-kernels-wasm.ts', import.meta.url);
const committedDense = new URL('../../src/classifier/dense-head/dense-head-kernels-wasm.ts', import.meta.url);

test('src/classifier/knn/store/kernels-wasm.ts is kernels.wat and kernels-scalar.wat compiled (npm run build:kernels)', async () => {
  assert.equal(await readFile(committed, 'utf8'), await storeModuleText());
});

test('src/camera/frame-kernels-wasm.ts is frame-kernels.wat compiled (npm run build:kernels)', async () => {
  assert.equal(await readFile(committedFrame, 'utf8'), frameModuleText(await compileFrameKernels()));
});

test('src/classifier/dense-head/dense-head-kernels-wasm.ts is dense-head-kernels.wat compiled (npm run build:kernels)', async () => {
  assert.equal(await readFile(committedDense, 'utf8'), denseModuleText(await compileDenseKernels()));
});

for (const shared of [false, true]) test(`the kernels compute their dot products and combination (${shared ? 'shared' : 'own'} memory)`, async () => {
  const memory = new WebAssembly.Memory({ initial: 17, maximum: 65536, shared });
  const { instance } = await WebAssembly.instantiate(Buffer.from(await compileKernels({ shared }), 'base64'), { env: { memory } });
  const { dots_u8: dotsU8, dots_f32: dotsF32, dots_sqrt_f32: dotsSqrtF32, combine_f32: combineF32 } = instance.exports;
  const dim = 40; // padded to 64 bytes (u8) and 160 bytes (f32)
  const [u8Stride, f32Stride, count] = [64, 160, 7];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const bytes = new Uint8Array(memory.buffer);
  const f32 = new Float32Array(memory.buffer);
  const rowsU8 = 0;
  const queryI16 = 4096;
  const rowsF32 = 8192;
  const queryF32 = 16384;
  const out = 20480;
  const i16 = new Int16Array(memory.buffer);
  for (let r = 0; r < count; r++) for (let c = 0; c < dim; c++) bytes[rowsU8 + r * u8Stride + c] = Math.floor(random() * 256);
  for (let c = 0; c < dim; c++) i16[queryI16 / 2 + c] = Math.round((random() - 0.5) * 8190);
  for (let r = 0; r < count; r++) for (let c = 0; c < dim; c++) f32[(rowsF32 + r * f32Stride) / 4 + c] = random() - 0.3;
  for (let c = 0; c < dim; c++) f32[queryF32 / 4 + c] = random() - 0.5;
  const i32 = new Int32Array(memory.buffer);
  i32[out / 4 + count] = 99; // must survive: nothing is written past `count` results

  dotsU8(rowsU8, count, u8Stride, queryI16, out);
  for (let r = 0; r < count; r++) {
    let expected = 0;
    for (let c = 0; c < dim; c++) expected += bytes[rowsU8 + r * u8Stride + c] * i16[queryI16 / 2 + c];
    assert.equal(i32[out / 4 + r], expected);
  }
  assert.equal(i32[out / 4 + count], 99);

  const row = (r, c) => f32[(rowsF32 + r * f32Stride) / 4 + c];
  dotsF32(rowsF32, count, f32Stride, queryF32, out);
  for (let r = 0; r < count; r++) {
    let expected = 0;
    for (let c = 0; c < dim; c++) expected += row(r, c) * f32[queryF32 / 4 + c];
    assert.ok(Math.abs(f32[out / 4 + r] - expected) < 1e-5, `dots_f32 row ${r}`);
  }
  dotsSqrtF32(rowsF32, count, f32Stride, queryF32, out);
  for (let r = 0; r < count; r++) {
    let expected = 0;
    for (let c = 0; c < dim; c++) expected += Math.sqrt(Math.max(0, row(r, c))) * f32[queryF32 / 4 + c];
    assert.ok(Math.abs(f32[out / 4 + r] - expected) < 1e-5, `dots_sqrt_f32 row ${r}`);
  }
  const coefficients = 24576;
  for (let r = 0; r < count; r++) f32[coefficients / 4 + r] = random() - 0.5;
  combineF32(rowsF32, count, f32Stride, coefficients, out);
  for (let c = 0; c < dim; c++) {
    let expected = 0;
    for (let r = 0; r < count; r++) expected += f32[coefficients / 4 + r] * row(r, c);
    assert.ok(Math.abs(f32[out / 4 + c] - expected) < 1e-5, `combine_f32 column ${c}`);
  }
});

test('decode_row rebuilds numbers from index bytes and residuals, and dots_sqrt_coded gives its dots_sqrt_f32', async () => {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536 });
  const { instance } = await WebAssembly.instantiate(Buffer.from(await compileKernels(), 'base64'), { env: { memory } });
  const { decode_row: decodeRow, dots_sqrt_coded: dotsSqrtCoded, dots_sqrt_f32: dotsSqrtF32 } = instance.exports;
  const count = 48;
  const [index, lo, hi, query, decoded, out] = [0, 1024, 2048, 4096, 8192, 12288];
  const u8 = new Uint8Array(memory.buffer);
  const u16 = new Uint16Array(memory.buffer);
  const f32 = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const t = Math.fround(0.0123);
  const offset = 64 - 2 ** 24;
  let seed = 11;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const edge = new Float32Array(1);
  const edgeBits = new Int32Array(edge.buffer);
  for (let c = 0; c < count; c++) {
    const q = c % 7 === 0 ? 0 : Math.floor(random() * 256);
    const residual = q === 0 ? Math.floor(random() * 2 ** 10) : Math.floor(random() * 2 ** 24);
    u8[index + c] = q;
    u16[lo / 2 + c] = residual & 0xffff;
    u8[hi + c] = residual >>> 16;
    let base = 0;
    if (q > 0) {
      const e = Math.fround((q + 0.5) * t);
      edge[0] = e * e;
      base = edgeBits[0] + offset;
    }
    i32[out / 4 + 16 + c] = (base + residual) | 0; // the expected bits, past where the kernels write
    f32[query / 4 + c] = random() - 0.5;
  }
  decodeRow(index, lo, hi, t, offset, count, decoded);
  for (let c = 0; c < count; c++) assert.equal(i32[decoded / 4 + c], i32[out / 4 + 16 + c], `number ${c}`);
  dotsSqrtF32(decoded, 1, count * 4, query, out);
  dotsSqrtCoded(index, lo, hi, t, offset, count, query, out + 4);
  assert.equal(i32[out / 4 + 1], i32[out / 4]);
  assert.ok(Number.isFinite(f32[out / 4]) && f32[out / 4] !== 0);
});

test('project_f32 gives dots_f32 then combine_f32, bit for bit', async () => {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536 });
  const { instance } = await WebAssembly.instantiate(Buffer.from(await compileKernels(), 'base64'), { env: { memory } });
  const { dots_f32: dotsF32, combine_f32: combineF32, project_f32: projectF32 } = instance.exports;
  const [stride, count] = [160, 6]; // 40 numbers
  const [rows, query, coefficients, out, coefficients2, out2] = [0, 4096, 8192, 12288, 16384, 20480];
  const f32 = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  let seed = 5;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < (count * stride) / 4; i++) f32[rows / 4 + i] = random() - 0.5;
  for (let i = 0; i < stride / 4; i++) f32[query / 4 + i] = random() - 0.5;
  dotsF32(rows, count, stride, query, coefficients);
  combineF32(rows, count, stride, coefficients, out);
  projectF32(rows, count, stride, query, coefficients2, out2);
  assert.deepEqual(Array.from(i32.subarray(coefficients2 / 4, coefficients2 / 4 + count)), Array.from(i32.subarray(coefficients / 4, coefficients / 4 + count)));
  assert.deepEqual(Array.from(i32.subarray(out2 / 4, out2 / 4 + stride / 4)), Array.from(i32.subarray(out / 4, out / 4 + stride / 4)));
  assert.ok(f32.subarray(out / 4, out / 4 + stride / 4).some((v) => v !== 0));
});

test('dots_coded gives dots_f32 of the rows decode_row rebuilds, bit for bit', async () => {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536 });
  const { instance } = await WebAssembly.instantiate(Buffer.from(await compileKernels(), 'base64'), { env: { memory } });
  const { decode_row: decodeRow, dots_f32: dotsF32, dots_coded: dotsCoded } = instance.exports;
  const [numbers, rows, stride] = [24, 5, 32]; // index rows 32 bytes apart, 24 numbers used
  const [index, lo, hi, steps, query, decoded, out, out2] = [0, 1024, 2048, 3072, 4096, 8192, 16384, 20480];
  const u8 = new Uint8Array(memory.buffer);
  const u16 = new Uint16Array(memory.buffer);
  const f32 = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const offset = 64 - 2 ** 24;
  let seed = 3;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let r = 0; r < rows; r++) {
    f32[steps / 4 + r] = Math.fround(0.001 + random() * 0.01);
    for (let c = 0; c < numbers; c++) {
      u8[index + r * stride + c] = c % 5 === 0 ? 0 : Math.floor(random() * 256);
      const residual = Math.floor(random() * 2 ** 20);
      u16[lo / 2 + r * stride + c] = residual & 0xffff;
      u8[hi + r * stride + c] = residual >>> 16;
    }
  }
  for (let c = 0; c < numbers; c++) f32[query / 4 + c] = random() - 0.5;
  for (let r = 0; r < rows; r++) decodeRow(index + r * stride, lo + 2 * r * stride, hi + r * stride, f32[steps / 4 + r], offset, numbers, decoded + r * numbers * 4);
  dotsF32(decoded, rows, numbers * 4, query, out);
  dotsCoded(index, lo, hi, rows, stride, steps, offset, numbers, query, out2);
  assert.deepEqual(Array.from(i32.subarray(out2 / 4, out2 / 4 + rows)), Array.from(i32.subarray(out / 4, out / 4 + rows)));
  assert.ok(Array.from(f32.subarray(out / 4, out / 4 + rows)).every((v) => Number.isFinite(v) && v !== 0));
});

for (const shared of [false, true]) test(`kernels-scalar.wat gives every kernel's result bit for bit as kernels.wat does (${shared ? 'shared' : 'own'} memory)`, async () => {
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 65536, shared });
  const instantiate = async (scalar) => (await WebAssembly.instantiate(Buffer.from(await compileKernels({ shared, scalar }), 'base64'), { env: { memory } })).instance.exports;
  const simd = await instantiate(false);
  const plain = await instantiate(true);
  assert.deepEqual(Object.keys(plain).sort(), Object.keys(simd).sort());
  const [dim, stride, count] = [72, 96, 7]; // 72 numbers, u8 rows of 96 bytes, f32 rows of 384
  const f32Stride = stride * 4;
  const [index, lo, hi, steps, queryI16, queryF32, rowsF32, coefficients, outSimd, outPlain] = [0, 4096, 8192, 12288, 13312, 14336, 16384, 24576, 65536, 131072];
  const u8 = new Uint8Array(memory.buffer);
  const u16 = new Uint16Array(memory.buffer);
  const i16 = new Int16Array(memory.buffer);
  const f32 = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  let seed = 17;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let r = 0; r < count; r++) {
    f32[steps / 4 + r] = Math.fround(0.001 + random() * 0.01);
    for (let c = 0; c < dim; c++) {
      u8[index + r * stride + c] = c % 5 === 0 ? 0 : Math.floor(random() * 256);
      const residual = Math.floor(random() * 2 ** 24);
      u16[lo / 2 + r * stride + c] = residual & 0xffff;
      u8[hi + r * stride + c] = residual >>> 16;
      f32[(rowsF32 + r * f32Stride) / 4 + c] = random() - 0.3;
    }
    f32[coefficients / 4 + r] = random() - 0.5;
  }
  for (let c = 0; c < dim; c++) {
    i16[queryI16 / 2 + c] = Math.round((random() - 0.5) * 8190);
    f32[queryF32 / 4 + c] = random() - 0.5;
  }
  const t = f32[steps / 4];
  const offset = 64 - 2 ** 24;
  const calls = {
    dots_u8: (k, out) => k.dots_u8(index, count, stride, queryI16, out),
    dots_f32: (k, out) => k.dots_f32(rowsF32, count, f32Stride, queryF32, out),
    dots_sqrt_f32: (k, out) => k.dots_sqrt_f32(rowsF32, count, f32Stride, queryF32, out),
    combine_f32: (k, out) => k.combine_f32(rowsF32, count, f32Stride, coefficients, out),
    project_f32: (k, out) => k.project_f32(rowsF32, count, f32Stride, queryF32, out + f32Stride, out),
    decode_row: (k, out) => k.decode_row(index + stride, lo + 2 * stride, hi + stride, t, offset, stride, out),
    dots_coded: (k, out) => k.dots_coded(index, lo, hi, count, stride, steps, offset, stride, queryF32, out),
    dots_sqrt_coded: (k, out) => k.dots_sqrt_coded(index + 2 * stride, lo + 4 * stride, hi + 2 * stride, t, offset, stride, queryF32, out),
  };
  const words = 2 * f32Stride / 4;
  for (const [name, call] of Object.entries(calls)) {
    i32.fill(-1, outSimd / 4, outSimd / 4 + words);
    i32.fill(-1, outPlain / 4, outPlain / 4 + words);
    call(simd, outSimd);
    call(plain, outPlain);
    const written = Array.from(i32.subarray(outSimd / 4, outSimd / 4 + words));
    assert.deepEqual(Array.from(i32.subarray(outPlain / 4, outPlain / 4 + words)), written, name);
    assert.ok(written.some((bits) => bits !== -1 && bits !== 0), `${name} wrote something`);
  }
});
