// Shared by the `npm run predict` tests: running the CLI as users run it, and the real photos and models they need.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const sharedDir = join(repoRoot, '..', 'shared');
export const datasetsDir = join(sharedDir, 'datasets');
export const modelsDir = process.env.MOBILENET_MODELS_DIR ?? join(sharedDir, 'models');

/** Why the real-data tests cannot run here, or null when they can. */
export function missingSharedData() {
  if (!existsSync(modelsDir)) return `no models at ${modelsDir}`;
  if (!existsSync(datasetsDir)) return `no photos at ${datasetsDir}`;
  return null;
}

/** Runs `npm run predict`'s script; resolves with its exit code and output (never rejects on a non-zero exit). */
export function predict(args, env = {}) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'scripts/predict.mjs'), ...args],
      { cwd: repoRoot, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }),
    );
  });
}

/** The first `count` photos (sorted by name) of each of `classes` in a shared dataset: [{ dataset, className, file, path }]. */
export function photos(dataset, classes, count) {
  return classes.flatMap((className) =>
    readdirSync(join(datasetsDir, dataset, className))
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .sort()
      .slice(0, count)
      .map((file) => ({ dataset, className, file, path: join(datasetsDir, dataset, className, file) })),
  );
}

/** A classes file in the app's format holding `classes` ({ label: [vector, ...] }) for `model`. */
export function writeClassesFile(path, model, dimension, classes) {
  const body = Object.entries(classes).map(([label, rows], i) => ({
    label,
    color: `#00000${i}`,
    examples: rows.length,
    vectors: Buffer.from(Float32Array.from(rows.flat()).buffer).toString('base64'),
  }));
  writeFileSync(path, JSON.stringify({ format: 'teachable-knn-dataset', version: 1, model, dimension, classes: body }));
}

/** The little-endian float32s of a base64 string. */
export const floats = (base64) => {
  const bytes = Buffer.from(base64, 'base64');
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
};
