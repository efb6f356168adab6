// The runtime bundle with <tm-classifier> (vite.runtime.config.ts, mode "element") served by the app at
// /runtime/tm-classifier.js, in development and in builds, for "Export as a web page" to put in its zip.
import { build } from 'vite';
import { repoRoot } from './local-assets.mjs';
import { join } from 'node:path';

export const RUNTIME_BUNDLE_PATH = 'runtime/tm-classifier.js';

/** Builds the bundle in memory (about 3 s), once per process. */
let building = null;
function bundleCode() {
  building ??= build({
    configFile: join(repoRoot, 'vite.runtime.config.ts'),
    root: repoRoot,
    mode: 'element',
    logLevel: 'warn',
    build: { write: false },
  }).then((result) => {
    const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
    const chunk = outputs.find((file) => file.fileName === 'tm-classifier.js');
    if (!chunk) throw new Error('the runtime build wrote no tm-classifier.js');
    return chunk.code;
  });
  return building;
}

/** A Vite plugin: the bundle at /runtime/tm-classifier.js on the dev server, and as that file in builds. */
export function runtimeBundle() {
  return {
    name: 'runtime-bundle',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (new URL(req.url ?? '/', 'http://x').pathname !== `/${RUNTIME_BUNDLE_PATH}`) return next();
        bundleCode().then(
          (code) => {
            res.setHeader('Content-Type', 'text/javascript');
            res.end(code);
          },
          (error) => next(error),
        );
      });
    },
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: RUNTIME_BUNDLE_PATH, source: await bundleCode() });
    },
  };
}
