// npm run dataset -- inspect FILE | convert IN OUT [--model ID] [--encoding float32|float16|int8] [--gzip]
// Bundles scripts/dataset-cli.ts (which uses the app's own src/dataset parser) with esbuild and runs it here,
// giving it Node's file system.
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../server/local-assets.mjs';
import { fileIo } from './cli-files.mjs';

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

process.exitCode = await runDatasetCli(process.argv.slice(2), fileIo);
