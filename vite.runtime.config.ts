import { defineConfig } from 'vite';

/**
 * The runtime library (src/runtime/) as one ES module with TensorFlow.js inside, for pages with no build step:
 * `npm run build:runtime` writes dist-runtime/teachable-knn.js. Minified: the runtime starts no wasm-threads
 * workers, whose source text minifying would break (see vite.config.ts).
 */
export default defineConfig({
  publicDir: false,
  build: {
    target: 'es2022',
    outDir: 'dist-runtime',
    emptyOutDir: true,
    // Library mode keeps an ES bundle's whitespace; a page loads it as it is, so it is minified whole.
    rolldownOptions: { output: { minify: true } },
    chunkSizeWarningLimit: 6000,
    lib: { entry: 'src/runtime/index.ts', formats: ['es'], fileName: () => 'teachable-knn.js' },
  },
});
