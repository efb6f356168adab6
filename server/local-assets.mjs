// Files the app needs from its own origin, shared by the Vite dev/preview servers and the test runner:
// the tfjs wasm binaries, an optional local mirror of the MobileNet weights, and the runtime config
// that tells the browser whether that mirror exists. The test runner also serves the shared photo data sets
// read-only at /datasets/ (see koaMiddleware) so that tests can embed real photos.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);

/** Headers that make the page cross-origin isolated, which wasm threads (SharedArrayBuffer) need. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export const WASM_ROUTE = '/tfjs-wasm/';
export const MODELS_ROUTE = '/models/';
export const CONFIG_ROUTE = '/app-config.json';
export const DATASETS_ROUTE = '/datasets/';

export const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));

const contentTypes = {
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.js': 'text/javascript',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
};

/** The model mirror folder from MOBILENET_MODELS_DIR, or null when none is configured. */
export function modelsDirFromEnv(env = process.env) {
  const dir = env.MOBILENET_MODELS_DIR;
  if (!dir) return null;
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new Error(`MOBILENET_MODELS_DIR=${dir} is not a folder (resolved to ${abs}).`);
  }
  return abs;
}

/** Resolves `rest` inside `root`, refusing anything that escapes it. */
function fileInside(root, rest) {
  let decoded;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return null; // a malformed %-escape names no file
  }
  const file = resolve(root, '.' + sep + decoded);
  if (file !== root && !file.startsWith(root + sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

/**
 * What to answer for a request path: a file to stream, a JSON body, or null when the path is not ours.
 * @param {string} pathname
 * @param {string | null} modelsDir
 * @param {string | null} [datasetsDir] served read-only at /datasets/ when given (the test runner only)
 * @returns {{file: string, type: string} | {json: unknown} | {status: 404} | null}
 */
export function localAsset(pathname, modelsDir, datasetsDir = null) {
  if (pathname === CONFIG_ROUTE) {
    return { json: { modelMirror: modelsDir ? MODELS_ROUTE : null } };
  }
  const routes = [[WASM_ROUTE, wasmDir], [MODELS_ROUTE, modelsDir]];
  if (datasetsDir) routes.push([DATASETS_ROUTE, datasetsDir]);
  for (const [route, root] of routes) {
    if (!pathname.startsWith(route)) continue;
    if (!root) return { status: 404 };
    const file = fileInside(root, pathname.slice(route.length));
    return file ? { file, type: contentTypes[extname(file)] ?? 'application/octet-stream' } : { status: 404 };
  }
  return null;
}

/** Connect-style middleware (Vite dev and preview servers). */
export function connectMiddleware(modelsDir) {
  return (req, res, next) => {
    for (const [name, value] of Object.entries(isolationHeaders)) res.setHeader(name, value);
    const asset = localAsset(new URL(req.url ?? '/', 'http://x').pathname, modelsDir);
    if (!asset) return next();
    if ('status' in asset) {
      res.statusCode = 404;
      return res.end('Not found');
    }
    if ('json' in asset) {
      res.setHeader('Content-Type', 'application/json');
      return res.end(JSON.stringify(asset.json));
    }
    res.setHeader('Content-Type', asset.type);
    res.setHeader('Content-Length', statSync(asset.file).size);
    createReadStream(asset.file).pipe(res);
  };
}

/** Koa-style middleware (the test runner's server), which also serves ../shared/datasets when it exists. */
export function koaMiddleware(modelsDir, datasetsDir = existsSync(sharedDatasetsDir) ? sharedDatasetsDir : null) {
  return async (ctx, next) => {
    ctx.set(isolationHeaders);
    const asset = localAsset(ctx.path, modelsDir, datasetsDir);
    if (!asset) return next();
    if ('status' in asset) {
      ctx.status = 404;
    } else if ('json' in asset) {
      ctx.body = asset.json;
    } else {
      ctx.type = asset.type;
      ctx.body = createReadStream(asset.file);
    }
  };
}

export const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '..');
export const sharedModelsDir = join(repoRoot, '..', 'shared', 'models');
export const sharedDatasetsDir = join(repoRoot, '..', 'shared', 'datasets');
