// Vite plugins for the production build only: the Content-Security-Policy <meta> in index.html, and the
// service worker that lets the app start offline (src/offline/).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { contentSecurityPolicy } from './content-security-policy.mjs';
import { CONFIG_ROUTE, repoRoot, WASM_ROUTE, wasmDir } from './local-assets.mjs';

export const SERVICE_WORKER_FILE = 'sw.js';

/** Puts the policy first in <head>, before anything it governs. */
export function contentSecurityPolicyMeta() {
  return {
    name: 'content-security-policy-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ forMeta: true }) },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

/**
 * Adds the registration script to index.html and writes sw.js next to it, listing every file of the build and
 * the wasm binaries (which the local-assets plugin copies into tfjs-wasm/) for the worker to cache.
 */
export function serviceWorker() {
  let outDir = 'dist';
  return {
    name: 'service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    transformIndexHtml: {
      // Before Vite's own HTML processing, so the script is bundled like the app's.
      order: 'pre',
      handler: () => [
        { tag: 'script', attrs: { type: 'module', src: '/src/offline/register-service-worker.ts' }, injectTo: 'head' },
      ],
    },
    async writeBundle(_options, bundle) {
      const buildFiles = Object.keys(bundle).filter((file) => file !== 'index.html').sort();
      const wasmNames = readdirSync(wasmDir).filter((file) => file.endsWith('.wasm')).sort();
      const urls = ['./', ...buildFiles, ...wasmNames.map((file) => `${WASM_ROUTE.slice(1)}${file}`)];
      // The build's names are hashes of their content; index.html and the wasm binaries are hashed here.
      const hash = createHash('sha256').update(urls.join('\n')).update(readFileSync(join(outDir, 'index.html')));
      for (const file of wasmNames) hash.update(readFileSync(join(wasmDir, file)));
      const version = hash.digest('hex').slice(0, 16);
      const result = await esbuild.build({
        entryPoints: [join(repoRoot, 'src/offline/service-worker.ts')],
        bundle: true,
        format: 'iife',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
        define: {
          PRECACHE_URLS: JSON.stringify(urls),
          PRECACHE_VERSION: JSON.stringify(version),
          NETWORK_FIRST_URLS: JSON.stringify([CONFIG_ROUTE.slice(1)]),
        },
      });
      writeFileSync(join(outDir, SERVICE_WORKER_FILE), result.outputFiles[0].text);
    },
  };
}
