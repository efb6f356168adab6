import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
// @ts-expect-error: plain ESM module shared with the test runner; it has no type declarations.
import { connectMiddleware, isolationHeaders, modelsDirFromEnv, wasmDir } from './server/local-assets.mjs';
// @ts-expect-error: plain ESM module like the one above.
import { productionHeaders } from './server/content-security-policy.mjs';
// @ts-expect-error: plain ESM module like the one above.
import { contentSecurityPolicyMeta, serviceWorker } from './server/production-build.mjs';
// @ts-expect-error: plain ESM module like the one above.
import { runtimeBundle } from './server/runtime-bundle.mjs';

/** Serves the wasm binaries, the optional model mirror and the runtime config, and ships the wasm files in builds. */
function localAssets(): Plugin {
  const modelsDir = modelsDirFromEnv();
  let outDir = 'dist';
  return {
    name: 'local-assets',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    configureServer(server) {
      server.middlewares.use(connectMiddleware(modelsDir));
    },
    configurePreviewServer(server) {
      server.middlewares.use(connectMiddleware(modelsDir));
    },
    closeBundle() {
      const target = join(outDir, 'tfjs-wasm');
      mkdirSync(target, { recursive: true });
      for (const file of readdirSync(wasmDir).filter((f: string) => f.endsWith('.wasm'))) {
        copyFileSync(join(wasmDir, file), join(target, file));
      }
    },
  };
}

export default defineConfig({
  plugins: [localAssets(), contentSecurityPolicyMeta(), serviceWorker(), runtimeBundle()],
  // The dev server has no Content-Security-Policy: Vite's hot reload injects inline styles. The preview
  // server serves the build as production should.
  server: { headers: isolationHeaders, host: '127.0.0.1', port: 5173 },
  preview: { headers: productionHeaders, host: '127.0.0.1', port: 4173 },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    // Not minified: the threaded wasm backend starts its workers from the source text of a bundled function
    // (Function.prototype.toString), and both renaming and inlining what that text refers to break them.
    minify: false,
    // The app, and the example page that listens to its class-change messages (examples/dot.html).
    rollupOptions: { input: { main: 'index.html', dot: 'examples/dot.html' } },
  },
});
