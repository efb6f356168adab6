import { defineConfig } from 'vite';

/**
 * The runtime library (src/runtime/) as ES modules with TensorFlow.js inside, for pages with no build step:
 * `npm run build:runtime` writes dist-runtime/teachable-knn.js (the library alone), then, with `--mode element`,
 * dist-runtime/tm-classifier.js (the library and the <tm-classifier> element, with Lit). Each file stands alone.
 * Minified: the runtime starts no wasm-threads workers, whose source text minifying would break (see vite.config.ts).
 */
export default defineConfig(({ mode }) => {
  const element = mode === 'element';
  return {
    publicDir: false,
    build: {
      target: 'es2022',
      outDir: 'dist-runtime',
      // The second build writes beside the first.
      emptyOutDir: !element,
      // Library mode keeps an ES bundle's whitespace; a page loads it as it is, so it is minified whole.
      rolldownOptions: { output: { minify: true } },
      chunkSizeWarningLimit: 6000,
      lib: element
        ? { entry: 'components/tm-classifier-bundle.ts', formats: ['es'], fileName: () => 'tm-classifier.js' }
        : { entry: 'src/runtime/index.ts', formats: ['es'], fileName: () => 'teachable-knn.js' },
    },
  };
});
