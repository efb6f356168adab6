// The Node side shared by `npm run eval` and `npm run measure-frame`: it bundles a page entry written against the
// app's own src/, serves it with the app's assets (wasm binaries, model mirror) from a cross-origin-isolated
// origin, and drives it in headless Chromium (launched by ../launch.mjs). The measuring itself happens in the page,
// on the app's code.
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { isolationHeaders, localAsset, modelsDirFromEnv, repoRoot, sharedModelsDir } from '../../server/local-assets.mjs';
import { inlineWorkers } from '../../server/inline-workers.mjs';

/** An error the user can fix (bad arguments, missing files): reported as one line, without a stack trace. */
export class UsageError extends Error {}

/** Runs a CLI body; user errors become one line on stderr and exit code 1. */
export async function main(name, body) {
  try {
    await body();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${name}: ${error.message}\n`);
    } else {
      // Anything else is a bug or a broken environment: the stack is worth having.
      process.stderr.write(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = 1;
  }
}

/** The model mirror: MOBILENET_MODELS_DIR, else ../shared/models when it exists. */
export function resolveModelsDir() {
  let dir;
  try {
    dir = modelsDirFromEnv();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (dir) return dir;
  if (existsSync(sharedModelsDir)) return sharedModelsDir;
  throw new UsageError(
    `no model mirror: set MOBILENET_MODELS_DIR to a folder of TF.js MobileNets (there is none at ${sharedModelsDir}).`,
  );
}

/** The app's model catalog (src/models/catalog.ts, which imports nothing), bundled so Node can read it. */
export async function loadCatalog() {
  const result = await esbuild.build({
    entryPoints: [join(repoRoot, 'src/models/catalog.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'silent',
  });
  const code = Buffer.from(result.outputFiles[0].text).toString('base64');
  return import(`data:text/javascript;base64,${code}`);
}

const IMAGE_FILE = /\.(jpe?g|png|webp|bmp|gif)$/i;

/**
 * The `<class>/<image>` layout of `dir` as {class: [file names]}, classes and files sorted; symlinks are followed
 * (split-dataset writes them). Classes without images are left out.
 */
export function listClassFolders(dir, label) {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${label} folder ${dir} does not exist.`);
  const classes = {};
  for (const name of readdirSync(root).sort()) {
    const classDir = join(root, name);
    if (!statSync(classDir).isDirectory()) continue;
    const files = readdirSync(classDir)
      .filter((file) => IMAGE_FILE.test(file) && statSync(join(classDir, file)).isFile())
      .sort();
    if (files.length > 0) classes[name] = files;
  }
  return classes;
}

const PAGE_HTML = '<!doctype html><meta charset="utf-8"><title>eval</title><script type="module" src="/page.js"></script>';

const imageTypes = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.bmp': 'image/bmp', '.gif': 'image/gif' };

/** tfjs's ES modules import CommonJS packages, so the page is bundled by esbuild, as web-test-runner.config.mjs does. */
async function bundlePage(entry) {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [inlineWorkers()],
  });
  return result.outputFiles[0].text;
}

/** `/data/<name>/<rest>` inside dataRoots[name], refusing paths that escape it. */
function dataFile(pathname, dataRoots) {
  const match = /^\/data\/([^/]+)\/(.+)$/.exec(pathname);
  const root = match && dataRoots[match[1]];
  if (!root) return null;
  const file = resolve(root, decodeURIComponent(match[2]));
  if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) return null;
  return { file, type: imageTypes[extname(file).toLowerCase()] ?? 'application/octet-stream' };
}

/** URL path under which startServer serves `file` of class `className` from data root `name`. */
export function dataUrl(name, className, file) {
  return `/data/${encodeURIComponent(name)}/${encodeURIComponent(className)}/${encodeURIComponent(file)}`;
}

/**
 * Serves the bundled `entry` at /, the app's local assets (wasm, models, config) and the image folders in
 * `dataRoots` ({name: dir}) on 127.0.0.1, with the isolation headers wasm threads need.
 */
export async function startServer(entry, modelsDir, dataRoots = {}) {
  const bundle = await bundlePage(entry);
  const roots = Object.fromEntries(Object.entries(dataRoots).map(([name, dir]) => [name, resolve(dir)]));
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(isolationHeaders)) res.setHeader(name, value);
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    };
    if (pathname === '/') return send(200, 'text/html', PAGE_HTML);
    if (pathname === '/page.js') return send(200, 'text/javascript', bundle);
    if (pathname === '/favicon.ico') return send(204, 'text/plain', '');
    const asset = localAsset(pathname, modelsDir) ?? dataFile(pathname, roots);
    if (!asset || 'status' in asset) return send(404, 'text/plain', 'Not found');
    if ('json' in asset) return send(200, 'application/json', JSON.stringify(asset.json));
    res.writeHead(200, { 'Content-Type': asset.type, 'Content-Length': statSync(asset.file).size });
    createReadStream(asset.file).pipe(res);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(done)) };
}

/**
 * Opens the page at `url` and waits until it has defined `window[entryPoint]`. Its `reportProgress(message)` calls
 * and uncaught errors go to stderr.
 */
export async function openPage(browser, url, entryPoint) {
  const page = await browser.newPage();
  await page.exposeFunction('reportProgress', (message) => process.stderr.write(`${message}\n`));
  page.on('pageerror', (error) => process.stderr.write(`[page error] ${error.message}\n`));
  page.on('console', (message) => {
    if (message.type() === 'error') process.stderr.write(`[page console] ${message.text()}\n`);
  });
  await page.goto(url);
  await page.waitForFunction((name) => name in window, {}, entryPoint);
  return page;
}

/**
 * The command-line option parser of every script and of the bench: node:util's parseArgs with `options` plus
 * --help (-h), which prints `usage` and exits. Anything parseArgs refuses becomes a UsageError ending in `usage`.
 * Returns parseArgs's { values, positionals }.
 */
export function parseCli(argv, usage, options, { positionals = false } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: positionals, options: { ...options, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)} (${usage})`);
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed;
}

/** Comma-separated names, e.g. "wasm,webgl", without blanks. */
export function parseList(text) {
  return String(text)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Comma-separated positive integers, e.g. "1,5,10". */
export function parsePositiveInts(text, option) {
  const values = String(text)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map(Number);
  if (values.length === 0 || !values.every((v) => Number.isInteger(v) && v > 0)) {
    throw new UsageError(`${option} wants positive whole numbers separated by commas, got "${text}".`);
  }
  return values;
}

/** One positive integer. */
export function parsePositiveInt(text, option) {
  const values = parsePositiveInts(text, option);
  if (values.length !== 1) throw new UsageError(`${option} wants one positive whole number, got "${text}".`);
  return values[0];
}

export { repoRoot };
