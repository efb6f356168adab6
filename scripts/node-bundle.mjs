// Bundles TypeScript of this repository for Node and imports it (tfjs's ES modules pull in CommonJS packages, which
// plain Node resolution of the sources cannot load).
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { repoRoot } from '../server/local-assets.mjs';

/**
 * Builds `input` (esbuild's `entryPoints` or `stdin`) into a module of its own and imports it. External packages
 * load from node_modules as Node loads them (one tfjs, and the wasm backend's own binaries). One file per process:
 * runs started together (the tests, the bench) must not read one another's half-written file.
 */
export async function importBundled(name, input) {
  const outfile = join(repoRoot, `node_modules/.cache/teachable-knn/${name}-${process.pid}.mjs`);
  await mkdir(dirname(outfile), { recursive: true });
  await esbuild.build({
    ...input,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    await rm(outfile, { force: true });
  }
}
