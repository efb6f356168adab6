// An esbuild plugin for the bundles esbuild makes of the app's code (the unit tests', see web-test-runner.config.mjs,
// and the bench and evaluation pages', see scripts/eval/harness.mjs). The app starts its workers the way Vite
// bundles them, `new Worker(new URL('./x.ts', import.meta.url), ...)`; esbuild leaves that URL pointing next to the
// bundle, where no such file is served. This plugin bundles each such worker too and puts it in the page's bundle
// as a blob: URL. Vite's own builds (`npm start`, `npm run build`) do not use it.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as esbuild from 'esbuild';

const WORKER_URL = /new Worker\(\s*new URL\((['"])(\.{1,2}\/[^'"]+\.ts)\1,\s*import\.meta\.url\)/g;

export function inlineWorkers() {
  return {
    name: 'inline-workers',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes('/node_modules/')) return undefined;
        const source = await readFile(args.path, 'utf8');
        const matches = [...source.matchAll(WORKER_URL)];
        if (matches.length === 0) return undefined;
        const constants = [];
        let contents = source;
        for (const [index, match] of matches.entries()) {
          const result = await esbuild.build({
            entryPoints: [resolve(dirname(args.path), match[2])],
            bundle: true,
            format: 'esm',
            target: 'es2022',
            write: false,
            logLevel: 'silent',
          });
          const name = `inlinedWorkerUrl${index}`;
          constants.push(`const ${name} = URL.createObjectURL(new Blob([${JSON.stringify(result.outputFiles[0].text)}], { type: 'text/javascript' }));`);
          contents = contents.replace(match[0], `new Worker(${name}`);
        }
        return { contents: `${constants.join('\n')}\n${contents}`, loader: 'ts', resolveDir: dirname(args.path) };
      });
    },
  };
}
