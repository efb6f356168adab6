// What the exported page's test and bench share: the runtime bundle built, a classes file taught from real photos
// by `npm run predict -- --teach`, the app's own "Export as a web page" zip (src/web-page/web-page-zip.ts, run in
// Node with the files read from disk), unzipped and served as a static host serves it.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { build } from 'vite';
import { isolationHeaders, repoRoot, wasmDir } from '../../server/local-assets.mjs';
import { importBundled } from '../node-bundle.mjs';

/** dist-runtime/tm-classifier.js as `npm run build:runtime` builds it, into `outDir`; returns its path. */
export async function buildElementBundle(outDir) {
  await build({ configFile: join(repoRoot, 'vite.runtime.config.ts'), root: repoRoot, mode: 'element', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return join(outDir, 'tm-classifier.js');
}

/** A classes file taught by `npm run predict -- --teach` from the first `perClass` photos of each class folder. */
export async function teachClasses(outFile, datasetDir, classes, perClass) {
  const train = await mkdtemp(join(tmpdir(), 'tm-page-train-'));
  try {
    for (const name of classes) {
      await mkdir(join(train, name));
      const files = (await readFile(join(datasetDir, 'frames.csv'), 'utf8')).split('\n').slice(1).map((l) => l.split(',')[0]);
      for (const file of files.filter((f) => f.startsWith(`${name}/`)).sort().slice(0, perClass)) {
        await symlink(join(datasetDir, file), join(train, file));
      }
    }
    await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts/predict.mjs'), '--teach', '--out', outFile, train], { cwd: repoRoot });
  } finally {
    await rm(train, { recursive: true, force: true });
  }
}

/** The app's zip maker and dataset parser, bundled for Node (npm packages left to Node). */
function appModules() {
  return importBundled('web-page', {
    stdin: {
      contents: "export { webPageZip } from './src/web-page/web-page-zip'; export { parseDatasetBytes } from './src/dataset';",
      resolveDir: repoRoot,
      loader: 'ts',
    },
  });
}

/**
 * The zip "Export as a web page" makes for `classesFile`, made by the app's own code; the bundle and the models are
 * read from disk where the app would fetch them (http://app.invalid/...).
 */
export async function exportedZip({ classesFile, bundleFile, modelsDir }) {
  const { webPageZip, parseDatasetBytes } = await appModules();
  const dataset = parseDatasetBytes(new Uint8Array(await readFile(classesFile)));
  const fromDisk = async (input) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const path =
      url.pathname === '/runtime/tm-classifier.js'
        ? bundleFile
        : url.pathname.startsWith('/tfjs-wasm/')
          ? join(wasmDir, url.pathname.slice('/tfjs-wasm/'.length))
          : join(modelsDir, decodeURIComponent(url.pathname.replace(/^\/models\//, '')));
    try {
      return new Response(await readFile(path));
    } catch {
      return new Response('not found', { status: 404 });
    }
  };
  return webPageZip(dataset, {
    bundleUrl: 'http://app.invalid/runtime/tm-classifier.js',
    wasmBaseUrl: 'http://app.invalid/tfjs-wasm/',
    modelMirror: 'http://app.invalid/models/',
    fetch: fromDisk,
  });
}

/** Unzips into a new folder; returns it. */
export async function unzipTo(zip, dir) {
  for (const [path, bytes] of Object.entries(unzipSync(zip))) {
    if (path.endsWith('/')) continue;
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  }
  return dir;
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.bin': 'application/octet-stream', '.wasm': 'application/wasm' };

/** A static host for `dir` on a free port, with or without the cross-origin isolation headers. */
export async function serveFolder(dir, { isolated }) {
  const server = createServer(async (req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    const file = path.endsWith(sep) ? join(path, 'index.html') : path;
    if (!file.startsWith(dir)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...(isolated ? isolationHeaders : {}) });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((done) => server.close(done)) };
}
