// npm run dataset -- inspect FILE | convert IN OUT [--model ID] [--encoding float32|float16|int8] [--gzip]
// Bundles scripts/dataset-cli.ts (which uses the app's own src/dataset parser) with esbuild and runs it here,
// giving it Node's file system.
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../server/local-assets.mjs';

const result = await esbuild.build({
  entryPoints: [join(repoRoot, 'scripts/dataset-cli.ts')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  write: false,
  logLevel: 'silent',
});
const code = Buffer.from(result.outputFiles[0].text).toString('base64');
const { runDatasetCli } = await import(`data:text/javascript;base64,${code}`);

/** Node's messages start with the code ("ENOENT: no such file or directory, open 'x'"); keep the words. */
const plain = (error) => new Error(String(error.message).replace(/^E[A-Z]+: /, '').replace(/, \w+ '.*'$/, ''));

const io = {
  fileSize: (path) => stat(path).then((s) => s.size, (e) => Promise.reject(plain(e))),
  readFile: (path) => readFile(path).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength), (e) => Promise.reject(plain(e))),
  async writeFile(path, text) {
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      await writeFile(temporary, text);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw plain(error);
    }
  },
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

process.exitCode = await runDatasetCli(process.argv.slice(2), io);
