// npm run predict -- --classes FILE [--json] [--labelled] [--models-dir DIR] IMAGE_OR_DIR...
// Bundles scripts/predict/cli.ts (the app's own embedding, k-NN store and vote) with esbuild, leaving the npm
// packages to Node, and runs it with Node's file system and sharp as the image decoder (docs/predict.md says why).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { modelsDirFromEnv, repoRoot, sharedModelsDir, wasmDir } from '../server/local-assets.mjs';
import { fileIo, plain } from './cli-files.mjs';
import { importBundled } from './node-bundle.mjs';

/** Images larger than this are refused before they are decoded (a 100-megapixel RGB image is 300 MB). */
export const MAX_IMAGE_PIXELS = 100_000_000;
/** Files larger than this are not read. */
export const MAX_IMAGE_BYTES = 256 * 1024 * 1024;
const IMAGE_FILE = /\.(jpe?g|png|webp|gif|avif|tiff?)$/i;

async function kind(path) {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

async function listImages(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error) => Promise.reject(plain(error)));
  const named = entries.filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && IMAGE_FILE.test(entry.name));
  const paths = named.map((entry) => join(entry.parentPath ?? entry.path, entry.name));
  // A link counts when it leads to a file.
  const kinds = await Promise.all(paths.map(kind));
  return paths.filter((_, i) => kinds[i] === 'file').sort();
}

/** RGB pixels of an image file, turned upright as browsers turn it (EXIF orientation), in sRGB. */
async function decode(path) {
  const size = (await stat(path).catch((error) => Promise.reject(plain(error)))).size;
  if (size > MAX_IMAGE_BYTES) throw new Error(`the file is ${(size / 1e6).toFixed(0)} MB; the limit for an image is ${MAX_IMAGE_BYTES / 1e6} MB`);
  const bytes = await readFile(path).catch((error) => Promise.reject(plain(error)));
  let meta;
  try {
    // Only the header is read here, so no pixel limit: the size is checked below with a clearer message.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new Error('this is not an image that can be read (JPEG, PNG, WebP, GIF, AVIF, TIFF)');
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new Error(`the image is ${meta.width} x ${meta.height} pixels (${(pixels / 1e6).toFixed(0)} megapixels); the limit is ${MAX_IMAGE_PIXELS / 1e6} megapixels`);
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS })
      .autoOrient()
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw new Error(`the image is damaged (${plain(error).message})`, { cause: error });
  }
}

/** Model files by path, answering as a server would (404 for a missing file) so the loader names what is wrong. */
async function modelFetch(input) {
  const path = input instanceof Request ? input.url : String(input);
  try {
    return new Response(await readFile(path), { status: 200 });
  } catch (error) {
    return new Response(plain(error).message, { status: error?.code === 'ENOENT' || error?.code === 'EISDIR' ? 404 : 500 });
  }
}

function defaultModelsDir() {
  try {
    return modelsDirFromEnv() ?? sharedModelsDir;
  } catch {
    // MOBILENET_MODELS_DIR names no folder: the CLI says so when it looks there.
    return resolve(process.env.MOBILENET_MODELS_DIR);
  }
}

/** scripts/predict/cli.ts bundled to a file in the repository, with the npm packages left external. */
function loadCli() {
  return importBundled('predict-cli', { entryPoints: [join(repoRoot, 'scripts/predict/cli.ts')] });
}

let runPredictCli;
try {
  ({ runPredictCli } = await loadCli());
} catch (error) {
  // A broken install, not a bad input: still one line, as every other failure.
  process.stderr.write(`predict: could not start (${String(error?.message ?? error).split('\n')[0]})\n`);
  process.exit(1);
}

const io = {
  ...fileIo,
  kind,
  listImages,
  folderOf: (path) => basename(dirname(resolve(path))),
  decode,
  modelFetch,
  defaultModelsDir: defaultModelsDir(),
  wasmDir,
  now: () => performance.now(),
};

process.exitCode = await runPredictCli(process.argv.slice(2), io);
